package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;

/**
 * Vanilla gradient (Simonyan et al. 2014), as Captum's {@code Saliency}: |d score / d x| per channel
 * by default, the signed gradient with {@code abs = false}. One backward pass for the whole batch.
 */
public final class Saliency extends GradientAttribution<Saliency.Options> {
    public static final String ID = "saliency";

    public record Options(boolean abs, Score score) implements MethodOptions {
        public Options {
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(true, Score.LOGIT);
        }
    }

    public Saliency(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public Saliency(Classifier classifier) {
        this(classifier, Options.defaults());
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
    protected WithLogits<INDArray> attributeWithLogits(INDArray x, int[] classes) {
        return classifier.scoreGradientWithLogits(x, classes, score).map(this::fromGradient);
    }

    private INDArray fromGradient(INDArray gradient) {
        return options.abs() ? Transforms.abs(gradient, false) : gradient;
    }
}
