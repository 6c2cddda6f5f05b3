package org.xaiworkbench.model.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.model.ModelFiles;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
}
