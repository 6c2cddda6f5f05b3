package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/** EigenGrad-CAM (pytorch-grad-cam): the first principal component's projection of G * A instead of A, so it follows the class. */
public final class EigenGradCam extends AbstractCam {
    public static final String ID = "eigen-grad-cam";

    public EigenGradCam(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    protected double[] combine(Planes planes) {
        double[] product = new double[planes.activation().length];
        for (int k = 0; k < product.length; k++) {
            product[k] = planes.gradient()[k] * planes.activation()[k];
        }
        return FirstComponent.projections(product, planes.maps(), planes.channels(), planes.pixels());
    }
}
