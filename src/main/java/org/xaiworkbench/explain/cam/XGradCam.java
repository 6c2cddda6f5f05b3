package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/**
 * XGrad-CAM (Fu et al. 2020): w_k = sum_ij G_kij A_kij / (sum_ij A_kij + 1e-7), the weights that make the
 * map satisfy the paper's sensitivity and conservation axioms on ReLU networks.
 */
public final class XGradCam extends ChannelWeightedCam {
    public static final String ID = "xgrad-cam";
    private static final double EPSILON = 1e-7;

    public XGradCam(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    protected double[] channelWeights(Planes planes) {
        int pixels = planes.pixels();
        double[] weights = new double[planes.maps() * planes.channels()];
        for (int plane = 0; plane < weights.length; plane++) {
            double weighted = 0;
            double total = 0;
            for (int p = 0; p < pixels; p++) {
                double a = planes.activation()[plane * pixels + p];
                weighted += planes.gradient()[plane * pixels + p] * a;
                total += a;
            }
            weights[plane] = weighted / (total + EPSILON);
        }
        return weights;
    }
}
