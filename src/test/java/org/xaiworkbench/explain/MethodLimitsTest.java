package org.xaiworkbench.explain;

import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.GlobalAveragePool;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.gradient.IntegrationRule;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.TinyClassifiers;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every method option has an upper bound, and a run that would not fit the JVM's or ND4J's memory is refused before it starts. */
class MethodLimitsTest {
    private static final GraphClassifier MODEL = TinyClassifiers.miniVgg(17, DataType.FLOAT);

    private static String refusal(GraphClassifier model, String method, String assignment) {
        MethodContext context = MethodContext.of(model).withSettings(AttributionRegistry.settings(List.of(assignment), null));
        String message = assertThrows(IllegalArgumentException.class, () -> AttributionRegistry.create(method, context)).getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void hugeStepAndSampleCountsAreOneLineNamingTheOptionTheBoundAndTheValue() {
        assertEquals("--set integrated-gradients.steps=2000000000: integrated-gradients steps must be in 1..10000, got 2000000000",
                refusal(MODEL, "integrated-gradients", "integrated-gradients.steps=2000000000"));
        assertEquals("--set integrated-gradients.steps=10000000: integrated-gradients steps must be in 1..10000, got 10000000",
                refusal(MODEL, "integrated-gradients", "integrated-gradients.steps=10000000"));
        assertEquals("--set lime.samples=2000000000: lime samples must be in 2..100000, got 2000000000",
                refusal(MODEL, "lime", "lime.samples=2000000000"));
        assertEquals("--set smoothgrad.nSamples=2000000000: smoothgrad nSamples must be in 1..10000, got 2000000000",
                refusal(MODEL, "smoothgrad", "smoothgrad.nSamples=2000000000"));
        assertTrue(refusal(MODEL, "occlusion", "occlusion.batchSize=100000").endsWith("batchSize must be in 1..4096, got 100000"));
    }

    @Test
    void theLargestGaussLegendreRuleIsBuiltWithoutRecursionAndSmallOnesMatchCommonsMath() {
        IntegrationRule.Nodes largest = IntegrationRule.GAUSS_LEGENDRE.nodes(OptionChecks.MAX_STEPS);
        assertEquals(1, Arrays.stream(largest.weights()).sum(), 1e-12);
        for (int k = 1; k < largest.alphas().length; k++) {
            assertTrue(largest.alphas()[k] > largest.alphas()[k - 1]);
        }
        for (int steps : new int[]{1, 2, 5, 50, 137}) {
            IntegrationRule.Nodes nodes = IntegrationRule.GAUSS_LEGENDRE.nodes(steps);
            GaussIntegrator reference = new GaussIntegratorFactory().legendre(steps, 0, 1);
            for (int k = 0; k < steps; k++) {
                assertEquals(reference.getPoint(k), nodes.alphas()[k], 1e-14, steps + " steps, node " + k);
                assertEquals(reference.getWeight(k), nodes.weights()[k], 1e-14, steps + " steps, weight " + k);
            }
        }
    }

    @Test
    void aBatchOfLargeImagesThatWouldNotFitIsRefusedNamingTheOptionToLower() {
        LayerGraph graph = LayerGraph.sequential(3, 2048, 2048, List.of(Map.entry("pool", new GlobalAveragePool()),
                Map.entry("flatten", new Flatten()), Map.entry("fc", new Dense(Nd4j.ones(DataType.FLOAT, 2, 3), null))));
        GraphClassifier large = new GraphClassifier(graph, null, List.of("a", "b"), DataType.FLOAT);

        String message = refusal(large, "integrated-gradients", "integrated-gradients.internalBatchSize=4096");

        assertTrue(message.startsWith("--set integrated-gradients.internalBatchSize=4096: integrated-gradients needs about "), message);
        assertTrue(message.contains("at internalBatchSize 4096, more than half of the JVM's"), message);
        assertTrue(message.endsWith("; lower integrated-gradients.internalBatchSize"), message);
    }
}
