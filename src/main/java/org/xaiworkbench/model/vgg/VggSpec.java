package org.xaiworkbench.model.vgg;

import org.xaiworkbench.model.graph.Activation;
import org.xaiworkbench.model.graph.Conv;
import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.Identity;
import org.xaiworkbench.model.graph.Pool;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The report's "VGG13": six 3x3 convolutions in three blocks, then three linear layers. Modules are
 * listed with the report's PyTorch names so that layer indices in figures ("Grad-CAM at module 7")
 * and state-dict keys ("conv_layers.7.weight") mean the same thing here and there.
 */
public final class VggSpec {
    public static final int INPUT_CHANNELS = 3;
    public static final int INPUT_SIZE = 32;
    public static final int NUM_CLASSES = 10;
    public static final int HIDDEN = 1024;
    public static final double DROPOUT = 0.5;

    public enum Kind { CONV, RELU, MAXPOOL, LINEAR, DROPOUT }

    /** One module of the PyTorch model, with the shape of its output (channels, height, width). */
    public record Module(String name, Kind kind, int in, int out, int channels, int height, int width) {
        public boolean hasParams() {
            return kind == Kind.CONV || kind == Kind.LINEAR;
        }

        /** Inputs of one output unit: what PyTorch's default initialiser scales by. */
        public long fanIn() {
            return kind == Kind.CONV ? 9L * in : in;
        }

        public long paramCount() {
            return switch (kind) {
                case CONV -> (long) in * out * 9 + out;
                case LINEAR -> (long) in * out + out;
                default -> 0;
            };
        }
    }

    private static final int[][] BLOCKS = {{3, 64}, {64, 128}, {128, 256}};

    private VggSpec() {
    }

    /** conv_layers.0 ... conv_layers.14 followed by fc_layers.0 ... fc_layers.6. */
    public static List<Module> modules() {
        List<Module> modules = new ArrayList<>();
        int size = INPUT_SIZE;
        int index = 0;
        for (int[] block : BLOCKS) {
            int in = block[0];
            int out = block[1];
            modules.add(new Module("conv_layers." + index++, Kind.CONV, in, out, out, size, size));
            modules.add(new Module("conv_layers." + index++, Kind.RELU, out, out, out, size, size));
            modules.add(new Module("conv_layers." + index++, Kind.CONV, out, out, out, size, size));
            modules.add(new Module("conv_layers." + index++, Kind.RELU, out, out, out, size, size));
            size /= 2;
            modules.add(new Module("conv_layers." + index++, Kind.MAXPOOL, out, out, out, size, size));
        }
        int flat = BLOCKS[BLOCKS.length - 1][1] * size * size;
        modules.add(new Module("fc_layers.0", Kind.LINEAR, flat, HIDDEN, HIDDEN, 1, 1));
        modules.add(new Module("fc_layers.1", Kind.RELU, HIDDEN, HIDDEN, HIDDEN, 1, 1));
        modules.add(new Module("fc_layers.2", Kind.DROPOUT, HIDDEN, HIDDEN, HIDDEN, 1, 1));
        modules.add(new Module("fc_layers.3", Kind.LINEAR, HIDDEN, HIDDEN, HIDDEN, 1, 1));
        modules.add(new Module("fc_layers.4", Kind.RELU, HIDDEN, HIDDEN, HIDDEN, 1, 1));
        modules.add(new Module("fc_layers.5", Kind.DROPOUT, HIDDEN, HIDDEN, HIDDEN, 1, 1));
        modules.add(new Module("fc_layers.6", Kind.LINEAR, HIDDEN, NUM_CLASSES, NUM_CLASSES, 1, 1));
        return List.copyOf(modules);
    }

    public static List<Module> convModules() {
        return modules().stream().filter(m -> m.name().startsWith("conv_layers.")).toList();
    }

    /**
     * A module list (this network's or a smaller one of the same kinds) as a layer graph, with the
     * weights of a state dict under the modules' names; a flatten layer goes before the first linear
     * module, as the PyTorch model's forward does.
     *
     * @throws IllegalArgumentException naming the first missing weight or wrong shape
     */
    public static LayerGraph graph(List<Module> modules, Map<String, INDArray> state, int channels, int size) {
        List<Map.Entry<String, LayerOp>> layers = new ArrayList<>();
        boolean spatial = true;
        for (Module m : modules) {
            if (m.kind() == Kind.LINEAR && spatial) {
                layers.add(new AbstractMap.SimpleEntry<>("flatten", new Flatten()));
                spatial = false;
            }
            LayerOp op = switch (m.kind()) {
                case CONV -> Conv.simple(weight(state, m.name() + ".weight", m.out(), m.in(), 3, 3),
                        weight(state, m.name() + ".bias", m.out()), 1);
                case LINEAR -> new Dense(weight(state, m.name() + ".weight", m.out(), m.in()), weight(state, m.name() + ".bias", m.out()));
                case RELU -> Activation.relu();
                case MAXPOOL -> Pool.max(2);
                case DROPOUT -> new Identity();
            };
            layers.add(new AbstractMap.SimpleEntry<>(m.name(), op));
        }
        return LayerGraph.sequential(channels, size, size, layers);
    }

    private static INDArray weight(Map<String, INDArray> state, String key, long... shape) {
        INDArray value = state.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing weight '" + key + "'");
        }
        if (!Arrays.equals(value.shape(), shape)) {
            throw new IllegalArgumentException("weight '" + key + "' has shape " + Arrays.toString(value.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return value;
    }

    public static long paramCount() {
        return modules().stream().mapToLong(Module::paramCount).sum();
    }
}
