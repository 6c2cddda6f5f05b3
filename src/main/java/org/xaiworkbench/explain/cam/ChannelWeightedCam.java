package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/** A class activation map that weighs each channel by one number: cam = sum_k w_k A_k. */
public abstract class ChannelWeightedCam extends AbstractCam {
    protected ChannelWeightedCam(String id, Classifier classifier, Options options) {
        super(id, classifier, options);
    }

    /** Per-channel weights, [maps, channels] in c order. */
    protected abstract double[] channelWeights(Planes planes);

    @Override
    protected final double[] combine(Planes planes) {
        return weightedSum(planes, channelWeights(planes));
    }

    /** sum_k w_k A_k for each map, [maps, pixels]; weights are [maps, channels]. */
    static double[] weightedSum(Planes planes, double[] weights) {
        int pixels = planes.pixels();
        double[] cam = new double[planes.maps() * pixels];
        for (int m = 0; m < planes.maps(); m++) {
            for (int c = 0; c < planes.channels(); c++) {
                double weight = weights[m * planes.channels() + c];
                int from = (m * planes.channels() + c) * pixels;
                for (int p = 0; p < pixels; p++) {
                    cam[m * pixels + p] += weight * planes.activation()[from + p];
                }
            }
        }
        return cam;
    }
}
