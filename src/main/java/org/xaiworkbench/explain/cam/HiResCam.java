package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/**
 * HiResCAM (Draelos and Carin 2020): sum_k G_k * A_k, the gradient kept at each pixel instead of
 * averaged. On a layer followed only by global average pooling and a linear layer it equals Grad-CAM,
 * and its map then sums to the score's share from that layer.
 */
public final class HiResCam extends ElementWiseCam {
    public static final String ID = "hires-cam";

    public HiResCam(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    protected double term(double activation, double gradient) {
        return gradient * activation;
    }
}
