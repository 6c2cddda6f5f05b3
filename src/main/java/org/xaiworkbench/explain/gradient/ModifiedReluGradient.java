package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.graph.ReluRule;

/**
 * The signal that reaches the input when every ReLU of the layer graph passes back by another rule
 * than its gradient (Captum's ModifiedReluGradientAttribution): signed, [M,C,H,W], one backward pass.
 * Captum changes the rule of {@code nn.ReLU} modules only; an exported graph no longer tells a
 * module from a functional relu, so here every ReLU node follows the rule.
 */
public abstract class ModifiedReluGradient extends GradientAttribution<ModifiedReluGradient.Options> {
    public record Options(Score score) implements MethodOptions {
        public Options {
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(Score.LOGIT);
        }
    }

    private final GraphClassifier graph;
    private final ReluRule rule;

    protected ModifiedReluGradient(String id, Classifier classifier, Options options, ReluRule rule) {
        super(id, classifier, options);
        this.graph = MethodRefusal.layerGraph(id, classifier, "its ReLUs' backward rule is rewritten");
        this.rule = rule;
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        return signal(rows, classes);
    }

    @Override
    protected WithLogits<INDArray> attributeWithLogits(INDArray x, int[] classes) {
        return graph.reluRuleGradientWithLogits(x, classes, score, rule);
    }

    /** The attributions of rows[i] for classes[i], for methods built on this one. */
    public INDArray signal(INDArray rows, int[] classes) {
        return graph.reluRuleGradient(rows, classes, score, rule);
    }
}
