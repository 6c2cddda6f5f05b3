package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.io.ModelFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** state-dict writes a model that loads back as the same classifier; method-check measures the relative error it states. */
class MethodCheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void theStateDictLoadsBackWithItsSidecarAsTheSameModel() throws IOException {
        Path folder = CliRuns.freshModel(dir.resolve("weights"));
        Path npz = dir.resolve("export/vgg13.npz");
        assertEquals(0, Main.run("state-dict", "--model", folder.toString(), "--out", npz.toString()));
        assertTrue(Files.isRegularFile(dir.resolve("export/vgg13.json")));
        ImageClassifier fromFolder = ModelFiles.load(folder).classifier();
        ImageClassifier fromNpz = ModelFiles.load(npz).classifier();
        assertEquals(CliRuns.CLASSES, fromNpz.classNames(), "class names come from the sidecar");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        assertArrayEquals(fromFolder.logits(x).reshape(20).toDoubleVector(), fromNpz.logits(x).reshape(20).toDoubleVector(), 0,
                "same weights and normalization");
    }

    @Test
    void aBadOutputNameIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path folder = CliRuns.freshModel(dir.resolve("weights"));
        String[] err = new String[1];
        int code = CliRuns.withStderr(err, () -> Main.run("state-dict", "--model", folder.toString(), "--out", dir.resolve("x.pt").toString()));
        assertTrue(code != 0 && err[0].contains("--out") && err[0].strip().lines().count() == 1, err[0]);
        assertTrue(!Files.exists(dir.resolve("x.pt")) && !Files.exists(dir.resolve("x.json")));
    }

    @Test
    void theErrorIsTheLargestDifferenceOverTheLargestReferenceValue() throws IOException {
        Path model = dir.resolve("parity/vgg13/model.npz");
        assertEquals(0, Main.run("state-dict", "--model", CliRuns.freshModel(dir.resolve("weights")).toString(), "--out", model.toString()));
        Path folder = model.getParent();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 32, 32);
        int[] targets = {2, 5};
        NpyFiles.write(folder.resolve("input.npy"), x.castTo(DataType.FLOAT));
        NpyFiles.write(folder.resolve("targets.npy"), Nd4j.createFromArray(new long[]{2, 5}));
        ImageClassifier classifier = ModelFiles.load(model).classifier();
        INDArray saliency = AttributionRegistry.create("saliency", MethodContext.of(classifier)).attribute(x.castTo(DataType.FLOAT),
                Target.perImage(targets)).attributions().castTo(DataType.DOUBLE);
        // a reference twice ours is off by max|ours| / max|2 ours| = 1/2, whatever the values
        NpyFiles.write(folder.resolve("saliency.npy"), saliency.mul(2));
        NpyFiles.write(folder.resolve("not-a-method.npy"), saliency);
        List<MethodCheckCommand.Result> results = MethodCheckCommand.check(folder, 1e-4);
        assertEquals(1, results.size(), "only files named by a method id are compared");
        assertEquals("saliency", results.get(0).method());
        assertEquals(0.5, results.get(0).error(), 1e-4);
    }

    @Test
    void aFolderWithoutTargetsIsRefusedInOneLineNamingIt() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("parity/m"));
        Files.writeString(folder.resolve("model.onnx"), "");
        NpyFiles.write(folder.resolve("input.npy"), Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4));
        String[] err = new String[1];
        int code = CliRuns.withStderr(err, () -> Main.run("method-check", dir.resolve("parity").toString()));
        assertTrue(code != 0 && err[0].contains("targets.npy") && err[0].strip().lines().count() == 1, err[0]);
    }

    @Test
    void sampledMethodsCompareMeansInStandardErrorsOfTheirDifference() {
        INDArray a = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray b = Nd4j.createFromArray(1.3, 2.0, 3.0);
        INDArray se = Nd4j.createFromArray(0.3, 0.0, 0.1);
        // (1.3 - 1) / sqrt(.09 + .09); equal exact values; 0 / sqrt(.02)
        assertArrayEquals(new double[]{0.3 / Math.sqrt(0.18), 0, 0}, MethodCheckCommand.zScores(a, se, b, se), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, MethodCheckCommand.zScores(a, Nd4j.zeros(3), b, Nd4j.zeros(3))[0]);
        assertEquals(3.0, MethodCheckCommand.bonferroniThreshold(1), 1e-3, "three standard errors for one value");
        // the normal quantile of 1 - 0.00135 / 64
        assertEquals(4.095, MethodCheckCommand.bonferroniThreshold(64), 1e-3, "and more for many at once");
    }
}
