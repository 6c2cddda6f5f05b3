package org.xaiworkbench.model.graph;

import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.vgg.Vgg13Network;
import org.xaiworkbench.model.vgg.VggClassifiers;
import org.xaiworkbench.model.vgg.VggSpec;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.data.Normalization;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphClassifierTest {
    static final Normalization NORM = new Normalization(new double[]{0.49, 0.48, 0.45}, new double[]{0.25, 0.24, 0.26});

    /** conv(3->4) relu maxpool conv(4->5) relu maxpool linear(5*2*2 -> 6) relu linear(6 -> 3), 8x8 inputs, double. */
    static GraphClassifier tinyNetwork(long seed) {
        return new GraphClassifier(VggSpec.graph(tinyModules(), tinyWeights(seed), 3, 8), NORM, List.of("a", "b", "c"), DataType.DOUBLE);
    }

    static List<VggSpec.Module> tinyModules() {
        return List.of(
                new VggSpec.Module("conv_layers.0", VggSpec.Kind.CONV, 3, 4, 4, 8, 8),
                new VggSpec.Module("conv_layers.1", VggSpec.Kind.RELU, 4, 4, 4, 8, 8),
                new VggSpec.Module("conv_layers.2", VggSpec.Kind.MAXPOOL, 4, 4, 4, 4, 4),
                new VggSpec.Module("conv_layers.3", VggSpec.Kind.CONV, 4, 5, 5, 4, 4),
                new VggSpec.Module("conv_layers.4", VggSpec.Kind.RELU, 5, 5, 5, 4, 4),
                new VggSpec.Module("conv_layers.5", VggSpec.Kind.MAXPOOL, 5, 5, 5, 2, 2),
                new VggSpec.Module("fc_layers.0", VggSpec.Kind.LINEAR, 20, 6, 6, 1, 1),
                new VggSpec.Module("fc_layers.1", VggSpec.Kind.RELU, 6, 6, 6, 1, 1),
                new VggSpec.Module("fc_layers.2", VggSpec.Kind.DROPOUT, 6, 6, 6, 1, 1),
                new VggSpec.Module("fc_layers.3", VggSpec.Kind.LINEAR, 6, 3, 3, 1, 1));
    }

    static Map<String, INDArray> tinyWeights(long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> w = new HashMap<>();
        w.put("conv_layers.0.weight", Nd4j.randn(DataType.DOUBLE, 4, 3, 3, 3).muli(0.4));
        w.put("conv_layers.0.bias", Nd4j.randn(DataType.DOUBLE, 4).muli(0.1));
        w.put("conv_layers.3.weight", Nd4j.randn(DataType.DOUBLE, 5, 4, 3, 3).muli(0.3));
        w.put("conv_layers.3.bias", Nd4j.randn(DataType.DOUBLE, 5).muli(0.1));
        w.put("fc_layers.0.weight", Nd4j.randn(DataType.DOUBLE, 6, 20).muli(0.4));
        w.put("fc_layers.0.bias", Nd4j.randn(DataType.DOUBLE, 6).muli(0.1));
        w.put("fc_layers.3.weight", Nd4j.randn(DataType.DOUBLE, 3, 6).muli(0.5));
        w.put("fc_layers.3.bias", Nd4j.randn(DataType.DOUBLE, 3).muli(0.1));
        return w;
    }

    static INDArray images(long seed, int n, int channels, int size, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(type, n, channels, size, size);
    }

    @Test
    void probabilitiesMatchTheDl4jNetwork() {
        MultiLayerNetwork net = Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 7));
        ModelCard card = new ModelCard("test", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                NORM.mean(), NORM.std(), 1e-3, 0, 7, 0, 1, "none");
        GraphClassifier classifier = VggClassifiers.of(net, card);
        INDArray x = images(3, 4, 3, 32, DataType.FLOAT);
        INDArray expected = net.output(NORM.applyInPlace(x.dup()), false);
        INDArray actual = Transforms.softmax(classifier.logits(x), true);
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5);
        INDArray alone = Transforms.softmax(classifier.logits(x.get(NDArrayIndex.interval(2, 3))), true);
        assertEquals(0, expected.getRow(2).sub(alone.getRow(0)).amaxNumber().doubleValue(), 1e-5, "single-row graph");
        assertEquals(VggSpec.convModules().stream().map(VggSpec.Module::name).toList(), classifier.layerNames());
    }

    @Test
    void parameterCountAddsEveryWeightAndBias() {
        // conv 3->4 and 4->5 (3x3), linear 20->6 and 6->3, each with its bias
        long expected = (4 * 3 * 9 + 4) + (5 * 4 * 9 + 5) + (6 * 20 + 6) + (3 * 6 + 3);
        assertEquals(expected, VggSpec.graph(tinyModules(), tinyWeights(1), 3, 8).parameterCount());
    }

    @Test
    void inputGradientMatchesFiniteDifferencesForEveryScore() {
        GraphClassifier c = tinyNetwork(11);
        INDArray x = images(5, 2, 3, 8, DataType.DOUBLE);
        int[] classes = {2, 0};
        for (Score score : Score.values()) {
            INDArray grad = c.scoreGradient(x, classes, score);
            assertArrayEquals(x.shape(), grad.shape());
            assertTrue(grad.norm2Number().doubleValue() > 0, "gradient is all zero for " + score);
            double h = 1e-6;
            for (int probe = 0; probe < 12; probe++) {
                int n = probe % 2;
                int ch = probe % 3;
                int y = (probe * 5) % 8;
                int xx = (probe * 3 + 1) % 8;
                INDArray plus = x.dup();
                plus.putScalar(new int[]{n, ch, y, xx}, x.getDouble(n, ch, y, xx) + h);
                INDArray minus = x.dup();
                minus.putScalar(new int[]{n, ch, y, xx}, x.getDouble(n, ch, y, xx) - h);
                double numeric = (score(c, plus, n, classes[n], score) - score(c, minus, n, classes[n], score)) / (2 * h);
                assertEquals(numeric, grad.getDouble(n, ch, y, xx), 1e-6, score + " at " + n + "," + ch + "," + y + "," + xx);
            }
        }
    }

    static double score(Classifier c, INDArray x, int row, int cls, Score score) {
        INDArray logits = c.logits(x);
        INDArray p = Transforms.softmax(logits, true);
        return switch (score) {
            case LOGIT -> logits.getDouble(row, cls);
            case PROBABILITY -> p.getDouble(row, cls);
            case LOG_PROBABILITY -> Math.log(p.getDouble(row, cls));
        };
    }

    @Test
    void captureReturnsTheModuleActivation() {
        GraphClassifier c = tinyNetwork(12);
        INDArray x = images(6, 2, 3, 8, DataType.DOUBLE);
        int[] classes = {1, 2};
        LayerCapture capture = c.capture(x, "conv_layers.1", classes, Score.LOGIT);
        // manual forward of conv_layers.0 + relu: normalize, 3x3 conv with padding 1, bias, max(0, .)
        INDArray normalized = NORM.applyInPlace(x.dup());
        Nd4j.getRandom().setSeed(12);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 4, 3, 3, 3).muli(0.4);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 4).muli(0.1);
        INDArray manual = Nd4j.zeros(DataType.DOUBLE, 2, 4, 8, 8);
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 4; o++) {
                for (int y = 0; y < 8; y++) {
                    for (int xx = 0; xx < 8; xx++) {
                        double sum = b.getDouble(o);
                        for (int i = 0; i < 3; i++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int yy = y + ky - 1;
                                    int xs = xx + kx - 1;
                                    if (yy >= 0 && yy < 8 && xs >= 0 && xs < 8) {
                                        sum += w.getDouble(o, i, ky, kx) * normalized.getDouble(n, i, yy, xs);
                                    }
                                }
                            }
                        }
                        manual.putScalar(new int[]{n, o, y, xx}, Math.max(0, sum));
                    }
                }
            }
        }
        assertEquals(0, manual.sub(capture.activation()).amaxNumber().doubleValue(), 1e-9);
        assertEquals(List.of("conv_layers.0", "conv_layers.1", "conv_layers.2", "conv_layers.3", "conv_layers.4",
                "conv_layers.5"), c.layerNames());
    }

    /**
     * Also at a ReLU whose pool the graph computes first (conv_layers.1, .4): its gradient must still be
     * the pool's own derivative at relu(z), including windows where relu(z) is all zero.
     */
    @Test
    void captureGradientIsTheInputGradientOfTheRestOfTheNetwork() {
        GraphClassifier c = tinyNetwork(13);
        INDArray x = images(7, 3, 3, 8, DataType.DOUBLE);
        int[] classes = {0, 2, 1};
        List<VggSpec.Module> modules = tinyModules();
        for (int layer : new int[]{1, 2, 4}) {
            VggSpec.Module captured = modules.get(layer);
            // the modules after the captured one as a network of their own, fed the captured activation
            GraphClassifier tail = new GraphClassifier(VggSpec.graph(modules.subList(layer + 1, modules.size()), tinyWeights(13),
                    captured.out(), captured.height()), null, List.of("a", "b", "c"), DataType.DOUBLE);
            for (Score score : Score.values()) {
                LayerCapture capture = c.capture(x, captured.name(), classes, score);
                assertEquals(0, tail.logits(capture.activation()).sub(c.logits(x)).amaxNumber().doubleValue(), 1e-12);
                INDArray expected = tail.scoreGradient(capture.activation(), classes, score);
                assertEquals(0, expected.sub(capture.gradient()).amaxNumber().doubleValue(), 1e-12, captured.name() + " " + score);
                assertTrue(expected.norm2Number().doubleValue() > 0);
            }
        }
    }

    @Test
    void theGradientGraphComputesNoWeightGradients() {
        GraphClassifier c = tinyNetwork(2);
        for (boolean predictedTarget : new boolean[]{false, true}) {
            for (int rows : new int[]{1, 2}) {
                List<String> ops = c.gradientGraphOps(Score.PROBABILITY, predictedTarget, rows);
                assertTrue(ops.stream().filter(op -> op.equals("conv2d")).count() >= 4, ops.toString());
                assertTrue(ops.contains("maxpool2d_bp"), ops.toString());
                assertTrue(ops.stream().noneMatch(op -> op.startsWith("conv2d_bp") || op.contains("matmul_bp") || op.contains("biasadd_bp")),
                        ops.toString());
            }
        }
    }

    @Test
    void theGraphsRunInAThreadShareOneBoundedArrayCacheAndAnotherThreadHasItsOwn() throws Exception {
        GraphClassifier c = tinyNetwork(29);
        INDArray x = images(31, 3, 3, 8, DataType.DOUBLE);
        int[] classes = {0, 1, 2};
        INDArray logitGradient = c.scoreGradient(x, classes, Score.LOGIT);
        c.scoreGradient(x, classes, Score.PROBABILITY);
        SessionMemMgr logit = c.gradientGraphMemory(Score.LOGIT, false, 3);
        SessionMemMgr probability = c.gradientGraphMemory(Score.PROBABILITY, false, 3);
        assertNotNull(logit);
        assertSame(logit, probability, "one cache for every graph of the thread");
        assertTrue(((ArrayCacheMemoryMgr) logit).getMaxCacheBytes() <= ArrayCache.MAX_BYTES);
        SessionMemMgr[] other = new SessionMemMgr[1];
        INDArray[] otherGradient = new INDArray[1];
        Thread thread = new Thread(() -> {
            otherGradient[0] = c.scoreGradient(x, classes, Score.LOGIT);
            other[0] = c.gradientGraphMemory(Score.LOGIT, false, 3);
        });
        thread.start();
        thread.join();
        assertNotNull(other[0]);
        assertNotSame(logit, other[0], "a thread of its own, a cache of its own");
        assertEquals(0, logitGradient.sub(otherGradient[0]).amaxNumber().doubleValue(), 0.0);
        assertEquals(0, logitGradient.sub(c.scoreGradient(x, classes, Score.LOGIT)).amaxNumber().doubleValue(), 0.0,
                "a result held across calls is not overwritten by arrays the cache hands out again");
    }

    @Test
    void onePassForThePredictedClassEqualsForwardThenGradient() {
        GraphClassifier c = tinyNetwork(17);
        // more rows than one graph call takes, so the chunks are stacked too
        INDArray x = images(19, 131, 3, 8, DataType.DOUBLE);
        INDArray logits = c.logits(x);
        int[] predicted = WithLogits.argMax(logits);
        assertTrue(Arrays.stream(predicted).distinct().count() > 1, "the test needs images predicted as different classes");
        for (Score score : Score.values()) {
            WithLogits<INDArray> gradient = c.scoreGradientWithLogits(x, null, score);
            assertArrayEquals(predicted, gradient.classes());
            assertEquals(0, gradient.logits().sub(logits).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0, gradient.value().sub(c.scoreGradient(x, predicted, score)).amaxNumber().doubleValue(), 1e-12, score.name());

            WithLogits<LayerCapture> capture = c.captureWithLogits(x, "conv_layers.2", null, score);
            LayerCapture expected = c.capture(x, "conv_layers.2", predicted, score);
            assertArrayEquals(predicted, capture.classes());
            assertEquals(0, capture.value().activation().sub(expected.activation()).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0, capture.value().gradient().sub(expected.gradient()).amaxNumber().doubleValue(), 1e-12, score.name());
        }
    }

    @Test
    void onePassForGivenClassesEqualsForwardThenGradient() {
        GraphClassifier c = tinyNetwork(19);
        INDArray x = images(23, 131, 3, 8, DataType.DOUBLE);
        int[] classes = new int[131];
        Arrays.setAll(classes, i -> (i * 7) % 3);
        INDArray logits = c.logits(x);
        for (Score score : Score.values()) {
            WithLogits<INDArray> gradient = c.scoreGradientWithLogits(x, classes, score);
            assertArrayEquals(classes, gradient.classes());
            assertEquals(0, gradient.logits().sub(logits).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0, gradient.value().sub(c.scoreGradient(x, classes, score)).amaxNumber().doubleValue(), 1e-12, score.name());

            WithLogits<LayerCapture> capture = c.captureWithLogits(x, "conv_layers.2", classes, score);
            LayerCapture expected = c.capture(x, "conv_layers.2", classes, score);
            assertEquals(0, capture.logits().sub(logits).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0, capture.value().gradient().sub(expected.gradient()).amaxNumber().doubleValue(), 1e-12, score.name());
        }
    }

    @Test
    void anImageAloneGetsTheSameAnswersAsInABatch() {
        // one row runs a graph of its own (the linear layers read their weights in another layout)
        GraphClassifier c = tinyNetwork(23);
        INDArray batch = images(29, 3, 3, 8, DataType.DOUBLE);
        int[] classes = {1, 2, 0};
        INDArray logits = c.logits(batch);
        INDArray gradient = c.scoreGradient(batch, classes, Score.PROBABILITY);
        LayerCapture capture = c.capture(batch, "conv_layers.3", classes, Score.LOGIT);
        WithLogits<INDArray> predicted = c.scoreGradientWithLogits(batch, null, Score.LOGIT);
        for (int i = 0; i < 3; i++) {
            INDArray one = batch.get(NDArrayIndex.interval(i, i + 1));
            int[] cls = {classes[i]};
            assertEquals(0, c.logits(one).getRow(0).sub(logits.getRow(i)).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0, c.scoreGradient(one, cls, Score.PROBABILITY).get(NDArrayIndex.point(0)).sub(
                    gradient.get(NDArrayIndex.point(i))).amaxNumber().doubleValue(), 1e-12);
            LayerCapture alone = c.capture(one, "conv_layers.3", cls, Score.LOGIT);
            assertEquals(0, alone.activation().get(NDArrayIndex.point(0)).sub(
                    capture.activation().get(NDArrayIndex.point(i))).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0, alone.gradient().get(NDArrayIndex.point(0)).sub(
                    capture.gradient().get(NDArrayIndex.point(i))).amaxNumber().doubleValue(), 1e-12);
            WithLogits<INDArray> predictedAlone = c.scoreGradientWithLogits(one, null, Score.LOGIT);
            assertEquals(predicted.classes()[i], predictedAlone.classes()[0]);
            assertEquals(0, predictedAlone.value().get(NDArrayIndex.point(0)).sub(
                    predicted.value().get(NDArrayIndex.point(i))).amaxNumber().doubleValue(), 1e-12);
        }
    }

    @Test
    void returnedArraysAreNotReusedByLaterCalls() {
        GraphClassifier c = tinyNetwork(3);
        INDArray x = images(1, 2, 3, 8, DataType.DOUBLE);
        INDArray logits = c.logits(x);
        INDArray gradient = c.scoreGradient(x, new int[]{0, 1}, Score.LOGIT);
        LayerCapture capture = c.capture(x, "conv_layers.4", new int[]{0, 1}, Score.LOGIT);
        INDArray[] kept = {logits.dup(), gradient.dup(), capture.activation().dup(), capture.gradient().dup()};
        INDArray other = images(2, 2, 3, 8, DataType.DOUBLE);
        c.logits(other);
        c.scoreGradient(other, new int[]{2, 2}, Score.LOGIT);
        c.capture(other, "conv_layers.4", new int[]{2, 2}, Score.LOGIT);
        INDArray[] now = {logits, gradient, capture.activation(), capture.gradient()};
        for (int k = 0; k < kept.length; k++) {
            assertEquals(kept[k], now[k], "array " + k + " changed");
        }
    }

    @Test
    void badInputsAreRejected() {
        GraphClassifier c = tinyNetwork(1);
        assertThrows(IllegalArgumentException.class, () -> c.logits(Nd4j.zeros(DataType.DOUBLE, 1, 3, 9, 9)));
        assertThrows(IllegalArgumentException.class, () -> c.scoreGradient(Nd4j.zeros(DataType.DOUBLE, 1, 3, 8, 8), new int[]{3}, Score.LOGIT));
        assertThrows(IllegalArgumentException.class, () -> c.capture(Nd4j.zeros(DataType.DOUBLE, 1, 3, 8, 8), "fc_layers.0", new int[]{0}, Score.LOGIT));
    }
}
