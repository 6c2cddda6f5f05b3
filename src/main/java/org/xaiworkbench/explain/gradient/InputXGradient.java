package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Predicted;
import org.xaiworkbench.model.Score;

import java.util.LinkedHashMap;
import java.util.Map;

/** x * d score / d x (Shrikumar et al. 2016), as Captum's {@code InputXGradient}; pixel-space x, so black pixels get 0. */
public final class InputXGradient extends GradientAttribution {
    public static final String ID = "input-x-gradient";

    public record Options(Score score) {
        public Options {
            Rows.requireScore(score);
        }

        public static Options defaults() {
            return new Options(Score.LOGIT);
        }
    }

    private final Options options;

    public InputXGradient(Classifier classifier, Options options) {
        super(classifier, options == null ? null : options.score(), 0L);
        if (options == null) {
            throw new IllegalArgumentException("input-x-gradient options must not be null");
        }
        this.options = options;
    }

    public InputXGradient(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        return timesInput(classifier.scoreGradient(rows, classes, score), rows);
    }

    @Override
    protected Predicted<INDArray> attributePredicted(INDArray x) {
        return classifier.predictedScoreGradient(x, score).map(gradient -> timesInput(gradient, x));
    }

    private static INDArray timesInput(INDArray gradient, INDArray x) {
        return gradient.mul(x.castTo(gradient.dataType()));
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("score", options.score().name());
        return out;
    }
}
