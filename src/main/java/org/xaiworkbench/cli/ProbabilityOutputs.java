package org.xaiworkbench.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.Score;

import java.util.List;

/**
 * A classifier whose outputs are the softmax probabilities of another, so that every registered method,
 * built with its default (logit) score, attributes the probability instead: --score probability. The
 * predicted class and the top-k order are unchanged, softmax being monotonic.
 */
final class ProbabilityOutputs implements Classifier {
    private final Classifier inner;

    ProbabilityOutputs(Classifier inner) {
        this.inner = inner;
    }

    @Override
    public int numClasses() {
        return inner.numClasses();
    }

    @Override
    public List<String> classNames() {
        return inner.classNames();
    }

    @Override
    public List<String> layerNames() {
        return inner.layerNames();
    }

    @Override
    public INDArray logits(INDArray x) {
        return inner.probabilities(x);
    }

    @Override
    public INDArray probabilities(INDArray x) {
        return inner.probabilities(x);
    }

    @Override
    public INDArray scoreGradient(INDArray x, int[] classes, Score score) {
        return inner.scoreGradient(x, classes, asProbability(score));
    }

    @Override
    public LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
        return inner.capture(x, layer, classes, asProbability(score));
    }

    private static Score asProbability(Score score) {
        if (score != Score.LOGIT) {
            throw new IllegalArgumentException("--score probability already attributes probabilities; a method asked for " + score);
        }
        return Score.PROBABILITY;
    }
}
