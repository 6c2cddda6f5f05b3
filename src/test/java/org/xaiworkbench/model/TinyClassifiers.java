package org.xaiworkbench.model;

import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.vgg.VggSpec;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.Normalization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small SameDiff classifiers with random weights, for tests of methods built on {@link Classifier}. */
public final class TinyClassifiers {
    public static final Normalization NORMALIZATION = new Normalization(new double[]{0.49, 0.48, 0.45},
            new double[]{0.25, 0.24, 0.26});

    private TinyClassifiers() {
    }

    /**
     * The VGG13 of {@link VggSpec} with the same module names, input (3x32x32) and 10 classes, but
     * 4/6/8 channels in its three blocks and 16 hidden units; He-scaled random weights.
     */
    public static GraphClassifier miniVgg(long seed, DataType dataType) {
        return miniVgg(seed, dataType, 32);
    }

    /** {@link #miniVgg(long, DataType)} on size x size inputs (a multiple of 8), for faster tests. */
    public static GraphClassifier miniVgg(long seed, DataType dataType, int inputSize) {
        int[][] blocks = {{3, 4}, {4, 6}, {6, 8}};
        int hidden = 16;
        List<VggSpec.Module> modules = new ArrayList<>();
        int size = inputSize;
        int index = 0;
        for (int[] block : blocks) {
            int out = block[1];
            modules.add(new VggSpec.Module("conv_layers." + index++, VggSpec.Kind.CONV, block[0], out, out, size, size));
            modules.add(new VggSpec.Module("conv_layers." + index++, VggSpec.Kind.RELU, out, out, out, size, size));
            modules.add(new VggSpec.Module("conv_layers." + index++, VggSpec.Kind.CONV, out, out, out, size, size));
            modules.add(new VggSpec.Module("conv_layers." + index++, VggSpec.Kind.RELU, out, out, out, size, size));
            size /= 2;
            modules.add(new VggSpec.Module("conv_layers." + index++, VggSpec.Kind.MAXPOOL, out, out, out, size, size));
        }
        int flat = 8 * size * size;
        modules.add(new VggSpec.Module("fc_layers.0", VggSpec.Kind.LINEAR, flat, hidden, hidden, 1, 1));
        modules.add(new VggSpec.Module("fc_layers.1", VggSpec.Kind.RELU, hidden, hidden, hidden, 1, 1));
        modules.add(new VggSpec.Module("fc_layers.2", VggSpec.Kind.DROPOUT, hidden, hidden, hidden, 1, 1));
        modules.add(new VggSpec.Module("fc_layers.3", VggSpec.Kind.LINEAR, hidden, hidden, hidden, 1, 1));
        modules.add(new VggSpec.Module("fc_layers.4", VggSpec.Kind.RELU, hidden, hidden, hidden, 1, 1));
        modules.add(new VggSpec.Module("fc_layers.5", VggSpec.Kind.DROPOUT, hidden, hidden, hidden, 1, 1));
        modules.add(new VggSpec.Module("fc_layers.6", VggSpec.Kind.LINEAR, hidden, 10, 10, 1, 1));
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            classes.add("class" + c);
        }
        return new GraphClassifier(VggSpec.graph(modules, randomWeights(modules, seed), 3, inputSize), NORMALIZATION, classes, dataType);
    }

    /** One linear layer on c x size x size inputs, no normalization: logits = W vec(x) + b. */
    public static GraphClassifier linear(INDArray weight, INDArray bias, int channels, int size) {
        int classes = (int) weight.size(0);
        List<VggSpec.Module> modules = List.of(new VggSpec.Module("fc_layers.0", VggSpec.Kind.LINEAR,
                (int) weight.size(1), classes, classes, 1, 1));
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return new GraphClassifier(VggSpec.graph(modules, Map.of("fc_layers.0.weight", weight, "fc_layers.0.bias", bias), channels, size),
                null, names, weight.dataType());
    }

    static Map<String, INDArray> randomWeights(List<VggSpec.Module> modules, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> weights = new HashMap<>();
        for (VggSpec.Module m : modules) {
            if (m.kind() == VggSpec.Kind.CONV) {
                weights.put(m.name() + ".weight", Nd4j.randn(DataType.DOUBLE, m.out(), m.in(), 3, 3).muli(Math.sqrt(2.0 / (9 * m.in()))));
            } else if (m.kind() == VggSpec.Kind.LINEAR) {
                weights.put(m.name() + ".weight", Nd4j.randn(DataType.DOUBLE, m.out(), m.in()).muli(Math.sqrt(2.0 / m.in())));
            }
            if (m.hasParams()) {
                weights.put(m.name() + ".bias", Nd4j.randn(DataType.DOUBLE, m.out()).muli(0.05));
            }
        }
        return weights;
    }
}
