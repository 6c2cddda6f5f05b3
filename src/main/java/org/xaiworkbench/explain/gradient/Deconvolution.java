package org.xaiworkbench.explain.gradient;

import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.ReluRule;

/** Deconvolution (Zeiler and Fergus 2014): a ReLU passes back relu(g) whatever its input was. */
public final class Deconvolution extends ModifiedReluGradient {
    public static final String ID = "deconvolution";

    public Deconvolution(Classifier classifier, Options options) {
        super(ID, classifier, options, ReluRule.DECONVOLUTION);
    }
}
