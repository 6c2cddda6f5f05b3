package org.xaiworkbench.model.io.onnx;

import onnx.Onnx.GraphProto;
import onnx.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.io.ModelFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.model.io.onnx.OnnxModels.floats;
import static org.xaiworkbench.model.io.onnx.OnnxModels.image;
import static org.xaiworkbench.model.io.onnx.OnnxModels.ints;
import static org.xaiworkbench.model.io.onnx.OnnxModels.node;

/** ONNX files made to exhaust the reader: long graphs, huge shapes, paddings and kernels. */
class OnnxLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aChainOfTwentyThousandNodesLoadsInSeconds() throws Exception {
        Path file = OnnxModels.write(dir, OnnxModels.chain(20_000, "Relu"));
        // ND4J's start-up is not the graph's to pay for
        ModelFiles.load(OnnxModels.write(dir, OnnxModels.chain(10, "Relu")));

        long start = System.nanoTime();
        ModelFiles.Loaded loaded = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ModelFiles.load(file));
        System.out.printf("a chain of 20,000 ReLUs loaded in %.1f s%n", (System.nanoTime() - start) / 1e9);

        assertEquals(2, loaded.classifier().numClasses());
        assertEquals("n19999", loaded.classifier().defaultCamLayer());
    }

    @Test
    void anInputOfTenBillionPixelsIsRefusedAtLoadNamingItsShape() throws Exception {
        Path file = OnnxModels.write(dir, pooledConv(image("input", 1, 3, 100_000, 100_000), 0));

        assertRefused(file, "the input 'input' (one image) has shape [3, 100000, 100000]: 30,000,000,000 values, more than the limit");
    }

    @Test
    void aPaddingOfAMillionIsRefusedNamingTheNodeAndTheValue() throws Exception {
        Path file = OnnxModels.write(dir, pooledConv(image("input", "batch", 3, 4, 4), 1_000_000));

        assertRefused(file, "node conv (Conv): pads [1000000, 1000000, 1000000, 1000000]: 1000000 is outside 0..65,536");
    }

    @Test
    void aPaddingWithinItsLimitWhoseOutputIsTooLargeIsRefusedNamingTheNodeAndTheShape() throws Exception {
        Path file = OnnxModels.write(dir, pooledConv(image("input", "batch", 3, 4, 4), 60_000));

        assertRefused(file, "conv: the output has shape [2, 120002, 120002]: 28,800,960,008 values, more than the limit");
    }

    /** A 3x3 convolution of the given padding, pooled, flattened and a dense layer to two logits. */
    private static GraphProto pooledConv(ValueInfoProto input, long pad) {
        return OnnxModels.graph(List.of(
                        node("Conv", "conv", List.of("input", "kernel"), "c", ints("pads", pad, pad, pad, pad)),
                        node("GlobalAveragePool", "pool", List.of("c"), "p"),
                        node("Flatten", "flatten", List.of("p"), "f"),
                        node("Gemm", "fc", List.of("f", "w"), "logits", OnnxModels.intAttribute("transB", 1))),
                input, floats("kernel", new long[]{2, 3, 3, 3}, new float[54]), floats("w", new long[]{2, 2}, new float[4])).build();
    }

    private static void assertRefused(Path file, String expected) {
        DataException e = assertThrows(DataException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
