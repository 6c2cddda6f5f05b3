package org.xaiworkbench.cli;

import org.xaiworkbench.explain.ExplanationRun;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.model.io.dl4j.Dl4jTestNetworks;
import org.xaiworkbench.model.io.ModelStore;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.cli.CliRuns.withStderr;

/** Models we did not train, through the command line: an ONNX export and a DL4J network outside the layer graph. */
class ForeignModelsTest {
    private static final Path ONNX = Path.of("src/test/resources/onnx/small_cnn.onnx");
    @TempDir
    static Path dir;
    static Path inputs;
    static Path upsampling;

    @BeforeAll
    static void aPictureAndAFallbackNetwork() throws Exception {
        inputs = Files.createDirectories(dir.resolve("inputs"));
        BufferedImage picture = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(new Color(200, 60, 40));
        g.fillRect(0, 0, 40, 30);
        g.dispose();
        ImageIO.write(picture, "png", inputs.resolve("red.png").toFile());
        upsampling = dir.resolve("upsampling.zip");
        ModelSerializer.writeModel(Dl4jTestNetworks.upsamplingMultiLayer(6), upsampling.toFile(), false);
    }

    @Test
    void anOnnxModelIsExplainedAtItsOwnInputSize() throws Exception {
        Path out = dir.resolve("onnx-out");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", ONNX.toString(), "--classes", "a,b,c,d,e",
                "--methods", "saliency,grad-cam,deeplift", "--per-class", "1", "--background", "0", "--input", inputs.toString(),
                "--out", out.toString(), "--npy", "--no-extra-figures"));
        assertEquals(0, code, captured[0]);
        try (Stream<Path> npy = Files.walk(out)) {
            List<Path> maps = npy.filter(p -> p.toString().endsWith(".npy")).toList();
            assertEquals(3 * (10 + 1), maps.size(), "three methods on one test image per CIFAR-10 class and the picture");
            for (Path map : maps) {
                INDArray attribution = NpyFiles.read(map);
                assertEquals(16, attribution.size(-1), map + ": maps at the model's 16x16 input");
            }
        }
        ExplanationRun.Index index = ModelStore.JSON.readValue(out.resolve(ExplanationRun.INDEX_FILE).toFile(), ExplanationRun.Index.class);
        assertEquals(List.of("a", "b", "c", "d", "e"), index.classNames());
        assertEquals(CliRuns.CLASSES, index.images().stream().limit(10).map(ExplanationRun.ExplainedImage::trueClass).toList(),
                "test images keep CIFAR-10's own class names as their truth, whatever the model's classes");
    }

    /** The metrics, sanity checks and study on a 5-class model at 16x16: test images resized, truths named by CIFAR-10. */
    @Test
    void anOnnxModelIsEvaluated() throws Exception {
        Path out = dir.resolve("onnx-evaluate");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("evaluate", "--model", ONNX.toString(), "--images", "2", "--methods",
                "saliency,grad-cam", "--background", "0", "--sensitivity-images", "1", "--randomization-images", "1",
                "--study-images", "1", "--bootstrap", "20", "--set", "deletion.steps=4", "--set", "insertion.steps=4", "--set", "infidelity.subsets=5", "--set", "faithfulness-correlation.subsets=5", "--out", out.toString()));
        assertEquals(0, code, captured[0]);
        assertTrue(Files.isRegularFile(out.resolve("summary.json")));
        try (Stream<Path> study = Files.walk(out.resolve("study"))) {
            assertTrue(study.anyMatch(p -> p.toString().endsWith(".png")), "the comparison study's figures");
        }
    }

    @Test
    void layersListsTheOnnxNodes() throws Exception {
        LayersCommand command = new LayersCommand();
        command.modelOption.path = ONNX;
        LayersCommand.Listing listing = command.run();
        assertArrayEquals(new long[]{3, 16, 16}, listing.input());
        assertArrayEquals(new long[]{5}, listing.layers().get(listing.layers().size() - 1).shape());
        assertTrue(listing.layers().stream().anyMatch(l -> l.op().equals("add")), "the residual addition is a layer");
        assertTrue(listing.layers().stream().filter(LayersCommand.Layer::camLayer).map(LayersCommand.Layer::name).toList()
                .contains(listing.defaultCamLayer()));
    }

    @Test
    void aFallbackNetworkExplainsWithGradientsAndRefusesDeepLiftBeforeWriting() throws Exception {
        Path out = dir.resolve("fallback-out");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", upsampling.toString(), "--input-shape", "3,8,8",
                "--methods", "saliency,deeplift", "--per-class", "0", "--background", "0", "--input", inputs.toString(),
                "--out", out.toString()));
        assertEquals(2, code, captured[0]);
        String error = captured[0].strip().lines().filter(l -> l.startsWith("error:")).findFirst().orElse("");
        assertTrue(error.contains("deeplift") && error.contains("Upsampling2D"), captured[0]);
        assertFalse(Files.exists(out), "nothing is written when a method refuses the model");

        code = withStderr(captured, () -> Main.run("explain", "--model", upsampling.toString(), "--input-shape", "3,8,8",
                "--methods", "saliency,integrated-gradients", "--per-class", "0", "--input", inputs.toString(), "--background", "0",
                "--out", out.toString(), "--no-extra-figures"));
        assertEquals(0, code, captured[0]);
        assertTrue(captured[0].contains("DL4J's own backprop"), "the run says which route explains the model: " + captured[0]);

        code = withStderr(captured, () -> Main.run("layers", "--model", upsampling.toString(), "--input-shape", "3,8,8"));
        assertEquals(2, code);
        assertTrue(captured[0].contains("layer graph") && captured[0].contains("Upsampling2D"), captured[0]);
    }

    /** A one-channel DL4J network on 12x12 inputs (input size recorded by convolutionalFlat): pictures arrive grey. */
    @Test
    void aGreyModelGetsGreyPicturesAtItsSize() throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).name("conv").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).name("out").build())
                .setInputType(InputType.convolutionalFlat(12, 12, 1)).build();
        MultiLayerNetwork grey = new MultiLayerNetwork(conf);
        grey.init();
        Path zip = dir.resolve("grey.zip");
        ModelSerializer.writeModel(grey, zip.toFile(), false);
        Path out = dir.resolve("grey-out");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", zip.toString(), "--methods", "saliency,grad-cam",
                "--per-class", "0", "--background", "0", "--input", inputs.toString(), "--out", out.toString(), "--npy"));
        assertEquals(0, code, captured[0]);
        try (Stream<Path> files = Files.walk(out)) {
            List<Path> all = files.toList();
            Path map = all.stream().filter(p -> p.toString().endsWith(".npy") && p.toString().contains("saliency")).findFirst().orElseThrow();
            assertArrayEquals(new long[]{1, 1, 12, 12}, NpyFiles.read(map).shape());
            assertTrue(all.stream().anyMatch(p -> p.toString().endsWith(".png") && p.toString().contains("grad-cam")), all.toString());
        }
    }

    @Test
    void aBadInputShapeIsNamed() {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("layers", "--model", ONNX.toString(), "--input-shape", "3,0"));
        assertEquals(2, code);
        assertTrue(captured[0].strip().startsWith("error: --input-shape"), captured[0]);
    }
}
