package org.xaiworkbench.model.io.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deeplearning4j-zoo's architectures, built with random weights (no download), convert to the layer
 * graph without DL4J's backprop fallback and give DL4J's own probabilities, and input gradients equal
 * to central differences of DL4J's own forward pass (both in double).
 */
class Dl4jZooTest {
    /** SqueezeNet as the zoo builds it gives one output whatever the input (DL4J's own forward pass does): its gradient is 0. */
    static Stream<Arguments> architectures() {
        return Stream.of(Arguments.of(ResNet50.builder().numClasses(10).seed(1).build(), true),
                Arguments.of(VGG16.builder().numClasses(10).seed(2).build(), true),
                Arguments.of(SqueezeNet.builder().numClasses(10).seed(3).build(), false),
                Arguments.of(Darknet19.builder().numClasses(10).seed(4).build(), true));
    }

    /**
     * Weights drawn afresh, He's variance for convolutions and a small one for dense layers (so that
     * no class takes all the probability after ResNet50's residual growth): as the zoo
     * initialises them, DL4J's ResNet50 multiplies activations by ~10^9 before its last stage and
     * overflows float to NaN, and SqueezeNet's output does not depend on its input.
     */
    private static Model tamed(Model network) {
        Nd4j.getRandom().setSeed(11);
        org.deeplearning4j.nn.api.Layer[] layers = network instanceof MultiLayerNetwork net ? net.getLayers() : ((ComputationGraph) network).getLayers();
        for (org.deeplearning4j.nn.api.Layer layer : layers) {
            INDArray w = layer.paramTable().get("W");
            if (w != null && (w.rank() == 4 || w.rank() == 2)) {
                double fanIn = w.rank() == 4 ? w.size(1) * w.size(2) * w.size(3) : w.size(0);
                w.muli(1 / (w.stdNumber().doubleValue() * Math.sqrt(fanIn)));
            }
        }
        return network;
    }

    private static double probability(Model network, INDArray x, int target) {
        INDArray p = network instanceof MultiLayerNetwork net ? net.output(x) : ((ComputationGraph) network).outputSingle(x);
        return p.getDouble(0, target);
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void convertsAndGivesDl4jsNumbers(ZooModel architecture, boolean inputMatters) {
        Model network = tamed(architecture.init());
        int[] shape = architecture.metaData().getInputShape()[0];
        Dl4jGraphs.Conversion conversion = Dl4jGraphs.convert(network, shape[0], shape[1], shape[2]);
        assertTrue(conversion.converted(), "no fallback: " + conversion.unsupported());
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            names.add("c" + c);
        }
        GraphClassifier ours = new GraphClassifier(conversion.graph(), null, names, DataType.FLOAT);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, shape[0], shape[1], shape[2]);

        INDArray theirs = network instanceof MultiLayerNetwork net ? net.output(x) : ((ComputationGraph) network).outputSingle(x);
        INDArray probabilities = Transforms.softmax(ours.logits(x).castTo(DataType.DOUBLE), true);
        assertTrue(theirs.amaxNumber().doubleValue() < 0.99, "no class takes it all, so the comparison means something: " + theirs);
        assertEquals(0, probabilities.sub(theirs.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-4, "softmax of our logits");

        // the input gradient against central differences of DL4J's own forward pass, both in double
        int target = theirs.argMax(1).getInt(0);
        Model exact = network instanceof MultiLayerNetwork net ? net.convertDataType(DataType.DOUBLE)
                : ((ComputationGraph) network).convertDataType(DataType.DOUBLE);
        GraphClassifier ours64 = new GraphClassifier(Dl4jGraphs.convert(exact, shape[0], shape[1], shape[2]).graph(), null, names,
                DataType.DOUBLE);
        INDArray x64 = x.castTo(DataType.DOUBLE);
        INDArray gradient = ours64.scoreGradient(x64, new int[]{target}, Score.PROBABILITY);
        double scale = gradient.amaxNumber().doubleValue();
        assertEquals(inputMatters, scale > 1e-8, "a gradient to compare: " + scale + ", probabilities " + theirs);
        double h = 1e-6;
        for (int probe = 0; probe < 4; probe++) {
            int[] at = {0, probe % shape[0], (37 * probe + 11) % shape[1], (53 * probe + 29) % shape[2]};
            INDArray plus = x64.dup();
            plus.putScalar(at, x64.getDouble(at) + h);
            INDArray minus = x64.dup();
            minus.putScalar(at, x64.getDouble(at) - h);
            double numeric = (probability(exact, plus, target) - probability(exact, minus, target)) / (2 * h);
            assertEquals(numeric, gradient.getDouble(at), 1e-4 * scale + 1e-9, "at " + java.util.Arrays.toString(at));
        }
    }
}
