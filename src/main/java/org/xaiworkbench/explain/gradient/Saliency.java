package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Predicted;
import org.xaiworkbench.model.Score;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Vanilla gradient (Simonyan et al. 2014), as Captum's {@code Saliency}: |d score / d x| per channel
 * by default, the signed gradient with {@code abs = false}. One backward pass for the whole batch.
 */
public final class Saliency extends GradientAttribution {
    public static final String ID = "saliency";

    public record Options(boolean abs, Score score) {
        public Options {
            Rows.requireScore(score);
        }

        public static Options defaults() {
            return new Options(true, Score.LOGIT);
        }
    }

    private final Options options;

    public Saliency(Classifier classifier, Options options) {
        super(classifier, options == null ? null : options.score(), 0L);
        if (options == null) {
            throw new IllegalArgumentException("saliency options must not be null");
        }
        this.options = options;
    }

    public Saliency(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean signed() {
        return !options.abs();
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        return fromGradient(classifier.scoreGradient(rows, classes, score));
    }

    @Override
    protected Predicted<INDArray> attributePredicted(INDArray x) {
        return classifier.predictedScoreGradient(x, score).map(this::fromGradient);
    }

    private INDArray fromGradient(INDArray gradient) {
        return options.abs() ? Transforms.abs(gradient, false) : gradient;
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("abs", options.abs());
        out.put("score", options.score().name());
        return out;
    }
}
