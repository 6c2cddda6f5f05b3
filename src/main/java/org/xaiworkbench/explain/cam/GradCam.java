package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/** Grad-CAM (Selvaraju et al. 2017): each channel weighs by its spatially averaged gradient. */
public final class GradCam extends ChannelWeightedCam {
    public static final String ID = "grad-cam";

    public GradCam(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public GradCam(Classifier classifier) {
        this(classifier, Options.defaults(classifier));
    }

    @Override
    protected double[] channelWeights(Planes planes) {
        double[] weights = new double[planes.maps() * planes.channels()];
        for (int plane = 0; plane < weights.length; plane++) {
            double sum = 0;
            for (int p = 0; p < planes.pixels(); p++) {
                sum += planes.gradient()[plane * planes.pixels() + p];
            }
            weights[plane] = sum / planes.pixels();
        }
        return weights;
    }
}
