package org.xaiworkbench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xaiworkbench.data.DataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real exports, as a user brings them: PyTorch's default ONNX export of two torchvision architectures
 * and of the two small models of src/peer/zoo_export.py, written by Debian's python3-torch at test time
 * (.ci/run installs it), each checked against PyTorch's own logits and saliency. `make zoo-check` runs
 * the whole zoo.
 */
class ZooParityTest {
    static final List<String> MODELS = List.of("grey_dilated", "grouped", "resnet18", "mobilenet_v2", "vit_b_16");
    private static final Path ZOO = Path.of("target", "zoo-test");

    @BeforeAll
    static void export() throws Exception {
        List<String> missing = MODELS.stream().filter(m -> !Files.isRegularFile(ZOO.resolve(m).resolve("saliency.npy"))).toList();
        if (missing.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "src/peer/zoo_export.py", "--out", ZOO.toString()));
        command.addAll(missing);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ZOO.resolveSibling("zoo-test.log").toFile())
                .start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the export finishes");
        assertEquals(0, process.exitValue(), "src/peer/zoo_export.py needs Debian's python3-torch and python3-torchvision; see "
                + ZOO.resolveSibling("zoo-test.log"));
    }

    @Test
    void everyExportMatchesPyTorch() throws Exception {
        for (String model : MODELS) {
            ZooCheckCommand.Result r = ZooCheckCommand.check(ZOO.resolve(model));
            assertTrue(r.sameClass(), model + ": same predicted class");
            assertTrue(r.floatLogitsError() <= ZooCheckCommand.LOGITS_TOLERANCE, model + ": float logits " + r.floatLogitsError());
            assertTrue(r.logitsError() <= 1e-6, model + ": logits " + r.logitsError());
            assertTrue(r.saliencyError() <= 1e-6, model + ": saliency " + r.saliencyError());
            assertTrue(r.layers() > 5 && r.parameters() > 0, model + ": a real graph");
            // the exporter records pytorch-grad-cam's view of a ViT only: there our default CAM layer must be the same token grid
            assertEquals(model.startsWith("vit"), !Double.isNaN(r.camError()), model + ": CAM stream checked");
            assertTrue(Double.isNaN(r.camError()) || r.camError() <= 1e-6, model + ": CAM token grid and gradient " + r.camError());
        }
    }

    /** A one-channel model takes a one-value mean and std: its logits on pixels p are the raw model's on (p - mean) / std. */
    @Test
    void aGreyModelTakesOneValueOfMeanAndStd() throws Exception {
        Path file = ZOO.resolve("grey_dilated").resolve("model.onnx");
        org.xaiworkbench.model.ImageClassifier raw = org.xaiworkbench.model.io.ModelFiles.load(file).classifier();
        org.xaiworkbench.model.ImageClassifier normalized = org.xaiworkbench.model.io.ModelFiles.load(file,
                new org.xaiworkbench.model.io.ModelFiles.Given(null, new org.xaiworkbench.data.Normalization(new double[]{0.4},
                        new double[]{0.25}), null)).classifier();
        org.nd4j.linalg.api.ndarray.INDArray pixels = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 12, 12);
        org.nd4j.linalg.api.ndarray.INDArray expected = raw.logits(pixels.sub(0.4).div(0.25));
        assertEquals(0, normalized.logits(pixels).sub(expected).amaxNumber().doubleValue(), 1e-5);
        assertThrows(DataException.class, () -> org.xaiworkbench.model.io.ModelFiles.load(file, new org.xaiworkbench.model.io.ModelFiles.Given(null,
                new org.xaiworkbench.data.Normalization(new double[]{0.4, 0.4, 0.4}, new double[]{0.2, 0.2, 0.2}), null)));
    }

    /** --preprocess imagenet names a 1,000-class export's outputs and normalizes with ImageNet's statistics; a sidecar still wins. */
    @Test
    void theImagenetConventionFillsInWhatTheFileDoesNotSay(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("resnet18.onnx");
        Files.copy(ZOO.resolve("resnet18").resolve("model.onnx"), file);
        org.xaiworkbench.model.io.ModelFiles.Given imagenet = new org.xaiworkbench.model.io.ModelFiles.Given(null, null, null,
                org.xaiworkbench.data.Preprocessing.IMAGENET);
        var model = (org.xaiworkbench.model.graph.GraphClassifier) org.xaiworkbench.model.io.ModelFiles.load(file, imagenet).classifier();
        assertEquals("tench", model.classNames().get(0));
        assertEquals(0.229, model.normalization().std()[0], 1e-12);

        Files.writeString(dir.resolve("resnet18.json"), "{\"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]}");
        var sidecar = (org.xaiworkbench.model.graph.GraphClassifier) org.xaiworkbench.model.io.ModelFiles.load(file, imagenet).classifier();
        assertEquals(0.25, sidecar.normalization().std()[0], 1e-12);
        assertEquals("tench", sidecar.classNames().get(0));

        Path grey = dir.resolve("grey.onnx");
        Files.copy(ZOO.resolve("grey_dilated").resolve("model.onnx"), grey);
        assertThrows(DataException.class, () -> org.xaiworkbench.model.io.ModelFiles.load(grey, imagenet),
                "ImageNet's three-channel statistics do not fit a grey model");
    }

    @Test
    void aFolderWithoutTheReferenceIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.copy(ZOO.resolve("grouped").resolve("model.onnx"), dir.resolve("model.onnx"));
        DataException e = assertThrows(DataException.class, () -> ZooCheckCommand.check(dir));
        assertTrue(e.getMessage().contains("input.npy"), e.getMessage());
    }
}
