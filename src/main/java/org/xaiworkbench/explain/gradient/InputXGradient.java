package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;

/** x * d score / d x (Shrikumar et al. 2016), as Captum's {@code InputXGradient}; pixel-space x, so black pixels get 0. */
public final class InputXGradient extends GradientAttribution<InputXGradient.Options> {
    public static final String ID = "input-x-gradient";

    public record Options(Score score) implements MethodOptions {
        public Options {
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(Score.LOGIT);
        }
    }

    public InputXGradient(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public InputXGradient(Classifier classifier) {
        this(classifier, Options.defaults());
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
    protected WithLogits<INDArray> attributeWithLogits(INDArray x, int[] classes) {
        return classifier.scoreGradientWithLogits(x, classes, score).map(gradient -> timesInput(gradient, x));
    }

    private static INDArray timesInput(INDArray gradient, INDArray x) {
        return gradient.mul(x.castTo(gradient.dataType()));
    }
}
