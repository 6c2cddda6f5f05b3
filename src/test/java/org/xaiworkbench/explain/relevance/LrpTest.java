package org.xaiworkbench.explain.relevance;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.graph.Activation;
import org.xaiworkbench.model.graph.Add;
import org.xaiworkbench.model.graph.Conv;
import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.GlobalAveragePool;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LrpComposite.Rule;
import org.xaiworkbench.model.graph.Multiply;
import org.xaiworkbench.model.graph.Pool;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LRP's axioms: conservation under every composite on a network without biases, LRP-0 = gradient x input, a rule by hand. */
class LrpTest {
    /**
     * conv -> ReLU -> max-pool -> conv -> ReLU, plus the pooled map again (a residual sum), global average
     * pool, dense: no biases anywhere, so every rule hands on all of the relevance it receives.
     */
    private static GraphClassifier withoutBiases(long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<LayerGraph.Node> nodes = List.of(
                new LayerGraph.Node("c1", Conv.simple(Nd4j.randn(DataType.DOUBLE, 4, 3, 3, 3), null, 1), LayerGraph.INPUT),
                new LayerGraph.Node("r1", Activation.relu(), "c1"),
                new LayerGraph.Node("pool", new Pool(Pool.Mode.MAX, 2, 2, 2, 2, 0, 0, false), "r1"),
                new LayerGraph.Node("c2", Conv.simple(Nd4j.randn(DataType.DOUBLE, 4, 4, 3, 3), null, 1), "pool"),
                new LayerGraph.Node("r2", Activation.relu(), "c2"),
                new LayerGraph.Node("sum", new Add(), List.of("r2", "pool")),
                new LayerGraph.Node("gap", new GlobalAveragePool(), "sum"),
                new LayerGraph.Node("flat", new Flatten(), "gap"),
                new LayerGraph.Node("fc", new Dense(Nd4j.randn(DataType.DOUBLE, 3, 4), null), "flat"));
        return new GraphClassifier(new LayerGraph(3, 8, 8, nodes), null, List.of("a", "b", "c"), DataType.DOUBLE);
    }

    @Test
    void everyCompositeHandsTheWholeLogitToThePixelsOfANetworkWithoutBiases() {
        GraphClassifier net = withoutBiases(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 8, 8);
        int[] classes = {0, 1, 2};
        INDArray logits = net.logits(x);
        for (String id : List.of("lrp-epsilon", "lrp-epsilon-plus-flat", "lrp-epsilon-gamma-box", "lrp-epsilon-alpha2-beta1")) {
            INDArray relevance = AttributionRegistry.create(id, MethodContext.of(net)).attribute(x, Target.perImage(classes)).attributions();
            for (int i = 0; i < 3; i++) {
                double logit = logits.getDouble(i, classes[i]);
                double total = relevance.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).sumNumber().doubleValue();
                assertEquals(logit, total, 1e-4 * Math.abs(logit) + 1e-9, id + ", image " + i);
            }
        }
    }

    @Test
    void lrpZeroIsGradientTimesInputOnAReluNetworkWithoutBiases() {
        GraphClassifier net = withoutBiases(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 8, 8);
        int[] classes = {2, 0};
        Lrp.Options zero = new Lrp.Options(Rule.EPSILON, Rule.EPSILON, Rule.EPSILON, 0, 0.25, Score.LOGIT);
        INDArray relevance = new Lrp("lrp-epsilon", net, zero).attribute(x, Target.perImage(classes)).attributions();
        INDArray gradientTimesInput = net.scoreGradient(x, classes, Score.LOGIT).mul(x);
        // the average pool's Norm rule keeps Zennit's 1e-6 stabilizer
        assertTrue(relevance.equalsWithEps(gradientTimesInput, 1e-5 * gradientTimesInput.amaxNumber().doubleValue()));
    }

    @Test
    void zPlusOnOneDenseLayerSharesTheLogitByThePositiveAndNegativeContributions() {
        double[][] w = {{1, -2, 0.5, 3}, {-1, 2, 2, -0.5}};
        double[] x = {0.5, -1, 2, 0.25};
        List<LayerGraph.Node> nodes = List.of(new LayerGraph.Node("flat", new Flatten(), LayerGraph.INPUT),
                new LayerGraph.Node("fc", new Dense(Nd4j.create(w), null), "flat"));
        GraphClassifier net = new GraphClassifier(new LayerGraph(1, 2, 2, nodes), null, List.of("a", "b"), DataType.DOUBLE);
        Lrp.Options zPlus = new Lrp.Options(Rule.Z_PLUS, Rule.Z_PLUS, Rule.Z_PLUS, 1e-6, 0.25, Score.LOGIT);
        double[] relevance = new Lrp("lrp", net, zPlus).attribute(Nd4j.createFromArray(x).reshape(1, 1, 2, 2), Target.fixed(1))
                .attributions().reshape(4).toDoubleVector();
        double logit = 0;
        double z = 0;
        double[] share = new double[4];
        for (int i = 0; i < 4; i++) {
            logit += w[1][i] * x[i];
            // a positive input counts with a positive weight, a negative input with a negative weight
            share[i] = x[i] * w[1][i] > 0 ? x[i] * w[1][i] : 0;
            z += share[i];
        }
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = share[i] / (z + 1e-6) * logit;
        }
        assertArrayEquals(expected, relevance, 1e-12);
    }

    @Test
    void anOpWithoutARuleIsRefusedInOneLineNamingTheLayer() {
        List<LayerGraph.Node> nodes = List.of(new LayerGraph.Node("flat", new Flatten(), LayerGraph.INPUT),
                new LayerGraph.Node("square", new Multiply(), List.of("flat", "flat")),
                new LayerGraph.Node("fc", new Dense(Nd4j.ones(DataType.DOUBLE, 2, 4), null), "square"));
        GraphClassifier net = new GraphClassifier(new LayerGraph(1, 2, 2, nodes), null, List.of("a", "b"), DataType.DOUBLE);
        MethodRefusal refusal = assertThrows(MethodRefusal.class, () -> AttributionRegistry.create("lrp-epsilon", MethodContext.of(net)));
        assertTrue(refusal.getMessage().contains("square") && !refusal.getMessage().contains("\n"), refusal.getMessage());
    }

    @Test
    void zBoxIsForTheFirstLayerOnly() {
        assertThrows(IllegalArgumentException.class, () -> new Lrp.Options(Rule.Z_BOX, Rule.Z_BOX, Rule.EPSILON, 1e-6, 0.25, Score.LOGIT));
        assertThrows(IllegalArgumentException.class, () -> new Lrp.Options(Rule.FLAT, Rule.GAMMA, Rule.EPSILON, 1e-6, 0.25, Score.PROBABILITY));
    }
}
