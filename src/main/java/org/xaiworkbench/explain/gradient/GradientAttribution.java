package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Map;

/** Base of the gradient methods; lets {@link NoiseTunnel} run any of them on noisy copies. */
public abstract class GradientAttribution<O extends Record & MethodOptions> extends AbstractAttribution<O> {
    protected GradientAttribution(String id, Classifier classifier, O options) {
        super(id, classifier, options);
    }

    /** The method's raw attributions of rows, for wrappers. */
    final INDArray rawAttributions(INDArray rows, int[] classes, RowRandom random) {
        return attributeRows(rows, classes, random);
    }

    Map<String, Object> rawProvenance() {
        return provenance();
    }

    Classifier classifier() {
        return classifier;
    }

    Score score() {
        return score;
    }
}
