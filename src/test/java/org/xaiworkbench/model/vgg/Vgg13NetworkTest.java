package org.xaiworkbench.model.vgg;


import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.DataException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Vgg13NetworkTest {
    private static MultiLayerNetwork net;

    @BeforeAll
    static void build() {
        net = Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 7));
    }

    @Test
    void hasTheReportsParameterCount() {
        assertEquals(6_400_586L, VggSpec.paramCount());
        assertEquals(6_400_586L, net.numParams());
    }

    @Test
    void everyModuleHasTheReportsOutputShape() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        List<INDArray> activations = net.feedForward(x, false);
        for (VggSpec.Module m : VggSpec.modules()) {
            if (m.kind() == VggSpec.Kind.DROPOUT || (m.kind() == VggSpec.Kind.RELU && m.name().startsWith("fc_"))) {
                continue;
            }
            INDArray a = activations.get(Vgg13Network.layerIndex(m.name()) + 1);
            long[] expected = m.name().startsWith("conv_") ? new long[]{2, m.channels(), m.height(), m.width()}
                    : new long[]{2, m.channels()};
            assertArrayEquals(expected, a.shape(), m.name());
        }
        assertEquals(16, VggSpec.convModules().size() + 1);
        assertEquals(4096, VggSpec.modules().get(15).in());
    }

    @Test
    void npzRoundTripGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        Path npz = dir.resolve("vgg13.npz");
        PyTorchStateDict.writeNpz(PyTorchStateDict.fromNetwork(net), npz);
        Map<String, INDArray> state = PyTorchStateDict.readNpz(npz);
        assertEquals(18, state.size());
        assertArrayEquals(new long[]{1024, 4096}, state.get("fc_layers.0.weight").shape());
        assertArrayEquals(new long[]{64, 3, 3, 3}, state.get("conv_layers.0.weight").shape());
        MultiLayerNetwork other = Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 99));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
        assertTrue(net.output(x, false).sub(other.output(x, false)).amaxNumber().doubleValue() > 1e-6,
                "differently seeded networks must differ before the import");
        PyTorchStateDict.loadInto(other, state, npz.toString());
        assertEquals(0.0, net.output(x, false).sub(other.output(x, false)).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void npzWithAMissingTensorIsRejectedByKey(@TempDir Path dir) throws Exception {
        Map<String, INDArray> state = PyTorchStateDict.fromNetwork(net);
        state.remove("fc_layers.3.bias");
        Path npz = dir.resolve("partial.npz");
        PyTorchStateDict.writeNpz(state, npz);
        DataException e = assertThrows(DataException.class,
                () -> PyTorchStateDict.loadInto(Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 1)),
                        PyTorchStateDict.readNpz(npz), npz.toString()));
        assertTrue(e.getMessage().contains("fc_layers.3.bias") && e.getMessage().contains("partial.npz"), e.getMessage());
    }
}
