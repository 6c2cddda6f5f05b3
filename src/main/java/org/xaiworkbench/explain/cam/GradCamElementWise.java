package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/** Grad-CAM element-wise (pytorch-grad-cam's GradCAMElementWise): sum_k relu(G_k * A_k). */
public final class GradCamElementWise extends ElementWiseCam {
    public static final String ID = "grad-cam-element-wise";

    public GradCamElementWise(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    protected double term(double activation, double gradient) {
        return Math.max(gradient * activation, 0);
    }
}
