package org.xaiworkbench.explain.relevance;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.graph.LrpComposite;
import org.xaiworkbench.model.graph.LrpComposite.Rule;

/**
 * Layer-wise relevance propagation (Bach et al. 2015) with Zennit's rules and composites: the target's
 * logit is handed back layer by layer, each linear layer sharing it among its inputs by the rule its
 * kind is given ({@link LrpComposite}). Signed, [M,C,H,W], at the network's normalized input, one pass.
 */
public final class Lrp extends AbstractAttribution<Lrp.Options> {
    /**
     * @param first       the rule of the first convolution (z-box uses the pixel range [0,1] through the normalization)
     * @param convolution the rule of the other convolutions
     * @param dense       the rule of dense layers
     * @param epsilon     the epsilon rule's stabilizer
     * @param gamma       the gamma rule's weight on the positive or negative part
     */
    public record Options(Rule first, Rule convolution, Rule dense, double epsilon, double gamma, Score score) implements MethodOptions {
        public Options {
            OptionChecks.required("first", first, Rule.class);
            OptionChecks.required("convolution", convolution, Rule.class);
            OptionChecks.required("dense", dense, Rule.class);
            OptionChecks.between("epsilon", epsilon, 0, 1e6);
            OptionChecks.between("gamma", gamma, 0, 1e6);
            OptionChecks.logitOnly("lrp", score);
            composite(first, convolution, dense, epsilon, gamma);
        }

        /** Epsilon everywhere (LRP-0 with epsilon 0). */
        public static Options epsilonEverywhere() {
            return new Options(Rule.EPSILON, Rule.EPSILON, Rule.EPSILON, 1e-6, 0.25, Score.LOGIT);
        }

        /** Zennit's EpsilonPlusFlat: flat for the first convolution, z+ for the others, epsilon for dense layers. */
        public static Options epsilonPlusFlat() {
            return new Options(Rule.FLAT, Rule.Z_PLUS, Rule.EPSILON, 1e-6, 0.25, Score.LOGIT);
        }

        /** Zennit's EpsilonGammaBox: z-box for the first convolution, gamma 0.25 for the others, epsilon for dense layers. */
        public static Options epsilonGammaBox() {
            return new Options(Rule.Z_BOX, Rule.GAMMA, Rule.EPSILON, 1e-6, 0.25, Score.LOGIT);
        }

        /** Zennit's EpsilonAlpha2Beta1: alpha 2, beta 1 for every convolution, epsilon for dense layers. */
        public static Options epsilonAlpha2Beta1() {
            return new Options(Rule.ALPHA2_BETA1, Rule.ALPHA2_BETA1, Rule.EPSILON, 1e-6, 0.25, Score.LOGIT);
        }

        LrpComposite composite() {
            return composite(first, convolution, dense, epsilon, gamma);
        }

        private static LrpComposite composite(Rule first, Rule convolution, Rule dense, double epsilon, double gamma) {
            return new LrpComposite(first, convolution, dense, epsilon, gamma);
        }
    }

    private final GraphClassifier graph;

    public Lrp(String id, Classifier classifier, Options options) {
        super(id, classifier, options);
        GraphClassifier layerGraph = MethodRefusal.layerGraph(id, classifier, "each layer's rule rewrites its backward pass");
        layerGraph.relevanceRefusal(options.composite()).ifPresent(why -> {
            throw new MethodRefusal(id + " cannot explain this model: " + why);
        });
        this.graph = layerGraph;
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        return graph.relevance(rows, classes, options.composite());
    }

    @Override
    protected WithLogits<INDArray> attributeWithLogits(INDArray x, int[] classes) {
        return graph.relevanceWithLogits(x, classes, options.composite());
    }
}
