package org.xaiworkbench.explain.gradient;

import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.ReluRule;

/** Guided backpropagation (Springenberg et al. 2015): a ReLU passes back relu(g) where its input was positive. */
public final class GuidedBackprop extends ModifiedReluGradient {
    public static final String ID = "guided-backprop";

    public GuidedBackprop(Classifier classifier, Options options) {
        super(ID, classifier, options, ReluRule.GUIDED);
    }
}
