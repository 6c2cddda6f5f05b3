package org.xaiworkbench.model.vgg;


import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.NpzReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The network's parameters under the report's PyTorch state-dict names and layouts
 * (conv_layers.0.weight [out,in,3,3] ... fc_layers.6.bias [10]), and their .npz form, so that a
 * model trained by the report's PyTorch code can be explained here and ours checked there.
 * Conv weights share PyTorch's layout in DL4J; linear weights are stored transposed ([in,out]).
 * DL4J's CNN-to-dense flattening is channel-major like PyTorch's view(N, -1), so no permutation is needed.
 */
public final class PyTorchStateDict {
    private PyTorchStateDict() {
    }

    public static Map<String, INDArray> fromNetwork(MultiLayerNetwork net) {
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (VggSpec.Module m : VggSpec.modules()) {
            if (!m.hasParams()) {
                continue;
            }
            Layer layer = net.getLayer(Vgg13Network.layerIndex(m.name()));
            INDArray w = layer.getParam("W");
            INDArray b = layer.getParam("b");
            state.put(m.name() + ".weight", (m.kind() == VggSpec.Kind.LINEAR ? w.transpose() : w).castTo(DataType.FLOAT).dup('c'));
            state.put(m.name() + ".bias", b.reshape(b.length()).castTo(DataType.FLOAT).dup('c'));
        }
        return state;
    }

    /** Copies a state dict into the network, checking that every key is present with PyTorch's shape. */
    public static void loadInto(MultiLayerNetwork net, Map<String, INDArray> state, String source) {
        for (VggSpec.Module m : VggSpec.modules()) {
            if (!m.hasParams()) {
                continue;
            }
            Layer layer = net.getLayer(Vgg13Network.layerIndex(m.name()));
            long[] weightShape = m.kind() == VggSpec.Kind.CONV ? new long[]{m.out(), m.in(), 3, 3} : new long[]{m.out(), m.in()};
            INDArray w = require(state, m.name() + ".weight", weightShape, source);
            INDArray b = require(state, m.name() + ".bias", new long[]{m.out()}, source);
            INDArray dl4jW = m.kind() == VggSpec.Kind.LINEAR ? w.transpose() : w;
            layer.setParam("W", dl4jW.castTo(layer.getParam("W").dataType()).dup('c'));
            layer.setParam("b", b.reshape(1, m.out()).castTo(layer.getParam("b").dataType()));
        }
    }

    private static INDArray require(Map<String, INDArray> state, String key, long[] shape, String source) {
        INDArray value = state.get(key);
        if (value == null) {
            throw new DataException(source + ": missing tensor '" + key + "'");
        }
        if (!Arrays.equals(value.shape(), shape)) {
            throw new DataException(source + ": tensor '" + key + "' has shape " + Arrays.toString(value.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return value;
    }

    public static void writeNpz(Map<String, INDArray> state, Path file) throws IOException {
        AtomicFiles.write(file, temp -> {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
                for (Map.Entry<String, INDArray> e : state.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    zip.write(Nd4j.toNpyByteArray(e.getValue()));
                    zip.closeEntry();
                }
            }
        });
    }

    /** The state dict in {@code file}, read by {@link NpzReader}, never by ND4J's native reader. */
    public static Map<String, INDArray> readNpz(Path file) {
        Map<String, INDArray> state = NpzReader.read(file);
        if (state.isEmpty()) {
            throw new DataException(file + ": no .npy arrays inside");
        }
        return state;
    }
}
