package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.model.Classifier;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018), with the closed-form second-order weights of the paper's
 * equation 19 under the exponential-score trick, as pytorch-grad-cam computes them:
 * alpha_ij = g_ij^2 / (2 g_ij^2 + (sum_ab A_ab) g_ij^3 + 1e-6), alpha = 0 where g = 0, and
 * w_k = sum_ij alpha_ij relu(g_ij).
 */
public final class GradCamPlusPlus extends AbstractCam {
    public static final String ID = "grad-cam-plus-plus";
    private static final double EPSILON = 1e-6;

    public GradCamPlusPlus(Classifier classifier, Options options) {
        super(classifier, options);
    }

    public GradCamPlusPlus(Classifier classifier) {
        this(classifier, Options.defaults(classifier));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    protected INDArray channelWeights(INDArray activation, INDArray gradient) {
        long[] shape = gradient.shape();
        INDArray squared = gradient.mul(gradient);
        INDArray cubed = squared.mul(gradient);
        INDArray activationSum = activation.sum(true, 2, 3).broadcast(shape);
        INDArray denominator = squared.mul(2).addi(activationSum.mul(cubed)).addi(EPSILON);
        INDArray alpha = squared.div(denominator);
        alpha.muli(gradient.neq(0).castTo(alpha.dataType()));
        return alpha.muli(Transforms.relu(gradient, true)).sum(2, 3);
    }
}
