package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018), with the closed-form second-order weights of the paper's
 * equation 19 under the exponential-score trick, as pytorch-grad-cam computes them:
 * alpha_ij = g_ij^2 / (2 g_ij^2 + (sum_ab A_ab) g_ij^3 + 1e-6), alpha = 0 where g = 0, and
 * w_k = sum_ij alpha_ij relu(g_ij).
 */
public final class GradCamPlusPlus extends ChannelWeightedCam {
    public static final String ID = "grad-cam-plus-plus";
    private static final double EPSILON = 1e-6;

    public GradCamPlusPlus(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public GradCamPlusPlus(Classifier classifier) {
        this(classifier, Options.defaults(classifier));
    }

    @Override
    protected double[] channelWeights(Planes planes) {
        int pixels = planes.pixels();
        double[] weights = new double[planes.maps() * planes.channels()];
        for (int plane = 0; plane < weights.length; plane++) {
            int from = plane * pixels;
            double activationSum = 0;
            for (int p = 0; p < pixels; p++) {
                activationSum += planes.activation()[from + p];
            }
            double weight = 0;
            for (int p = 0; p < pixels; p++) {
                double g = planes.gradient()[from + p];
                if (g > 0) {
                    double squared = g * g;
                    weight += squared / (2 * squared + activationSum * squared * g + EPSILON) * g;
                }
            }
            weights[plane] = weight;
        }
        return weights;
    }
}
