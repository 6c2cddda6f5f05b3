package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/** LayerCAM (Jiang et al. 2021): sum_k relu(G_k) * A_k, each pixel weighed by its own positive gradient. */
public final class LayerCam extends ElementWiseCam {
    public static final String ID = "layer-cam";

    public LayerCam(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    protected double term(double activation, double gradient) {
        return Math.max(gradient, 0) * activation;
    }
}
