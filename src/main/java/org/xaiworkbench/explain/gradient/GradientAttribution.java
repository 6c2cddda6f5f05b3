package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Map;

/**
 * Base of the gradient methods. Lets {@link NoiseTunnel} run any of them on noisy copies, and lets a
 * method hand over the completeness delta it computed with its attributions (the baselines it drew
 * come from the row's random stream, which {@link #convergenceDelta} cannot see).
 */
public abstract class GradientAttribution extends AbstractAttribution {
    private final ThreadLocal<double[]> pendingDelta = new ThreadLocal<>();

    protected GradientAttribution(Classifier classifier, Score score, long seed) {
        super(classifier, score, seed);
    }

    /** The method's raw attributions of rows, for wrappers; discards any delta computed on the way. */
    final INDArray rawAttributions(INDArray rows, int[] classes, RowRandom random) {
        try {
            return attributeRows(rows, classes, random);
        } finally {
            pendingDelta.remove();
        }
    }

    Map<String, Object> rawOptions() {
        return options();
    }

    Classifier classifier() {
        return classifier;
    }

    Score score() {
        return score;
    }

    /** Called from {@link #attributeRows} with the per-row delta of the attributions it returns. */
    protected final void recordDelta(double[] delta) {
        pendingDelta.set(delta);
    }

    @Override
    protected final double[] convergenceDelta(INDArray rows, int[] classes, INDArray attributions) {
        double[] delta = pendingDelta.get();
        pendingDelta.remove();
        return delta;
    }
}
