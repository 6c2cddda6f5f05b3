package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/** A class activation map that sums one term per channel and pixel: cam_ij = sum_k term(A_kij, G_kij). */
public abstract class ElementWiseCam extends AbstractCam {
    protected ElementWiseCam(String id, Classifier classifier, Options options) {
        super(id, classifier, options);
    }

    /** The contribution of one activation value and its gradient. */
    protected abstract double term(double activation, double gradient);

    @Override
    protected final double[] combine(Planes planes) {
        int pixels = planes.pixels();
        double[] cam = new double[planes.maps() * pixels];
        for (int m = 0; m < planes.maps(); m++) {
            for (int c = 0; c < planes.channels(); c++) {
                int from = (m * planes.channels() + c) * pixels;
                for (int p = 0; p < pixels; p++) {
                    cam[m * pixels + p] += term(planes.activation()[from + p], planes.gradient()[from + p]);
                }
            }
        }
        return cam;
    }
}
