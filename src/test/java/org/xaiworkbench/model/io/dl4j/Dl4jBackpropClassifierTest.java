package org.xaiworkbench.model.io.dl4j;

import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.Normalization;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jBackpropClassifierTest {
    private static final Normalization NORMALIZATION = TinyClassifiers.NORMALIZATION;
    private static final List<String> CLASS_NAMES = List.of("a", "b", "c", "d");

    @Test
    void multiLayerNetworkWithUpsamplingGivesDl4jLogitsAndScoreGradients() {
        MultiLayerNetwork net = Dl4jTestNetworks.upsamplingMultiLayer(8);
        Dl4jBackpropClassifier classifier = new Dl4jBackpropClassifier("upsampling.zip", net, 3, 8, 8, NORMALIZATION, CLASS_NAMES);
        assertEquals(List.of("up (Upsampling2D)"), classifier.forcedBy());
        assertMatchesDl4j(net, classifier);
        assertInstanceOf(BatchNormalization.class, net.getLayer(1).conf().getLayer(), "the caller's network is left as it was");
    }

    @Test
    void computationGraphWithUpsamplingGivesDl4jLogitsAndScoreGradients() {
        ComputationGraph graph = Dl4jTestNetworks.residualGraph(9, true);
        Dl4jBackpropClassifier classifier = new Dl4jBackpropClassifier("residual.zip", graph, 3, 8, 8, NORMALIZATION, CLASS_NAMES);
        assertEquals(List.of("up (Upsampling2D)"), classifier.forcedBy());
        assertMatchesDl4j(graph, classifier);
    }

    @Test
    void layerCapturesAreRefusedNamingTheLayersThatForcedTheFallback() {
        Dl4jBackpropClassifier classifier = new Dl4jBackpropClassifier("upsampling.zip", Dl4jTestNetworks.upsamplingMultiLayer(8),
                3, 8, 8, null, CLASS_NAMES);
        assertEquals(List.of(), classifier.layerNames());
        INDArray x = Dl4jTestNetworks.images(1, 1);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> classifier.capture(x, "conv1", new int[]{0}, Score.LOGIT));
        assertEquals("upsampling.zip: layer activations and their gradients need the layer graph; these layers forced the DL4J fallback: "
                + "up (Upsampling2D)", e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> classifier.captureWithLogits(x, "conv1", null, Score.LOGIT));
    }

    @Test
    void inputsOfAnotherSizeAreRefused() {
        Dl4jBackpropClassifier classifier = new Dl4jBackpropClassifier("upsampling.zip", Dl4jTestNetworks.upsamplingMultiLayer(8),
                3, 8, 8, null, CLASS_NAMES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier.logits(Dl4jTestNetworks.images(1, 1).reshape(1, 3, 4, 16)));
        assertEquals("upsampling.zip: input must be [N,3,8,8] with N > 0, got [1, 3, 4, 16]", e.getMessage());
    }

    /**
     * Logits equal DL4J's in inference mode (dropout off, batch norm on running statistics); each score's
     * input gradient, through the normalization, equals central differences of the score from DL4J's logits.
     */
    private static void assertMatchesDl4j(Model network, Dl4jBackpropClassifier classifier) {
        UnaryOperator<INDArray> dl4j = Dl4jTestNetworks.dl4jLogits(network);
        UnaryOperator<INDArray> fromPixels = pixels -> dl4j.apply(NORMALIZATION.applyInPlace(pixels.dup()));
        INDArray x = Dl4jTestNetworks.images(5, 3);
        assertClose(fromPixels.apply(x), classifier.logits(x), 1e-9);

        int[] classes = {2, 0, 3};
        for (Score score : Score.values()) {
            INDArray expected = Dl4jTestNetworks.finiteDifferences(fromPixels, x, classes, score, 1e-6);
            assertTrue(expected.amaxNumber().doubleValue() > 1e-3, score + ": a gradient worth comparing");
            assertClose(expected, classifier.scoreGradient(x, classes, score), 1e-6);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape());
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= tolerance, "max |difference| " + difference + " > " + tolerance);
    }
}
