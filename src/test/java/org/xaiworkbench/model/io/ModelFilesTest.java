package org.xaiworkbench.model.io;

import org.xaiworkbench.model.vgg.PyTorchStateDict;

import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.dl4j.Dl4jBackpropClassifier;
import org.xaiworkbench.model.io.dl4j.Dl4jTestNetworks;
import org.xaiworkbench.model.vgg.Vgg13Network;
import org.xaiworkbench.model.vgg.VggClassifiers;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.DataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One --model path, three forms of the report's network: the same logits from each. */
class ModelFilesTest {
    private static final List<String> CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    private static final ModelCard CARD = new ModelCard("t", CLASSES, new double[]{0.49, 0.48, 0.45},
            new double[]{0.25, 0.24, 0.26}, 1e-3, 0, 5, 0, 64, "none");

    @TempDir
    static Path dir;
    static MultiLayerNetwork net;
    static INDArray x;
    static INDArray expected;

    @BeforeAll
    static void oneNetworkSavedThreeWays() throws Exception {
        net = Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 5));
        ModelStore.save(net, CARD, dir.resolve("folder"), false);
        PyTorchStateDict.writeNpz(PyTorchStateDict.fromNetwork(net), dir.resolve("report.npz"));
        ModelStore.JSON.writeValue(dir.resolve("report.json").toFile(), CARD);
        Files.createDirectories(dir.resolve("zip"));
        ModelSerializer.writeModel(net, dir.resolve("zip/vgg.zip").toFile(), false);
        ModelStore.JSON.writeValue(dir.resolve("zip/model.json").toFile(), CARD);
        Files.createDirectories(dir.resolve("bare"));
        Files.copy(dir.resolve("report.npz"), dir.resolve("bare/report.npz"));
        Nd4j.getRandom().setSeed(3);
        x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        expected = VggClassifiers.of(net, CARD).logits(x);
    }

    @Test
    void aFolderADl4jZipAndAPyTorchNpzGiveTheSameLogits() throws Exception {
        for (String path : new String[]{"folder", "zip/vgg.zip", "report.npz"}) {
            ModelFiles.Loaded loaded = ModelFiles.load(dir.resolve(path));
            assertEquals(0, loaded.classifier().logits(x).sub(expected).amaxNumber().doubleValue(), 0, path);
            assertEquals(CLASSES, loaded.classifier().classNames(), path);
        }
        assertTrue(ModelFiles.load(dir.resolve("report.npz")).description().contains("report.json"));
        assertTrue(ModelFiles.load(dir.resolve("zip/vgg.zip")).description().contains("model.json"));
    }

    @Test
    void withoutASidecarClassesAreNumberedAndInputsUnnormalized() throws Exception {
        ModelFiles.Loaded bare = ModelFiles.load(dir.resolve("bare/report.npz"));
        assertEquals("class 0", bare.classifier().classNames().get(0));
        assertTrue(bare.description().contains("no normalization"), bare.description());
        ModelCard identity = new ModelCard("t", CLASSES, new double[]{0, 0, 0}, new double[]{1, 1, 1}, 0, 0, 0, 0, 0, "");
        INDArray unnormalized = VggClassifiers.of(net, identity).logits(x);
        assertEquals(0, bare.classifier().logits(x).sub(unnormalized).amaxNumber().doubleValue(), 1e-5);
    }

    @Test
    void badModelFilesAreNamedInOneLine() throws Exception {
        Path onnx = Files.writeString(dir.resolve("m.onnx"), "x");
        Path text = Files.writeString(dir.resolve("m.txt"), "x");
        Path notZip = Files.writeString(dir.resolve("broken.zip"), "x");
        Map<String, INDArray> state = PyTorchStateDict.fromNetwork(net);
        state.put("fc_layers.6.bias", Nd4j.zeros(DataType.FLOAT, 9));
        Path wrongShape = dir.resolve("wrong.npz");
        PyTorchStateDict.writeNpz(state, wrongShape);
        Path badCard = dir.resolve("bad-card.npz");
        Files.copy(dir.resolve("report.npz"), badCard);
        Files.writeString(dir.resolve("bad-card.json"), "{\"classNames\": [\"a\", \"b\"]}");
        String[][] cases = {
                {onnx.toString(), "m.onnx: "},
                {text.toString(), "unknown model file"},
                {notZip.toString(), "neither a DL4J MultiLayerNetwork nor a ComputationGraph"},
                {wrongShape.toString(), "fc_layers.6.bias"},
                {badCard.toString(), "bad-card.json: 2 class names for a model with 10 outputs"},
                {dir.resolve("absent.npz").toString(), "no such file or folder"}};
        for (String[] c : cases) {
            DataException e = assertThrows(DataException.class, () -> ModelFiles.load(Path.of(c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /** Any DL4J network: through the layer graph when it can be, else through DL4J's backprop, with the input size given. */
    @Test
    void otherDl4jNetworksLoadThroughTheLayerGraphOrTheFallback() throws Exception {
        ComputationGraph residual = Dl4jTestNetworks.residualGraph(4, false);
        Path graphZip = dir.resolve("residual.zip");
        ModelSerializer.writeModel(residual, graphZip.toFile(), false);
        Files.writeString(dir.resolve("residual.json"), "{\"classNames\": [\"w\", \"x\", \"y\", \"z\"], \"inputShape\": [3, 8, 8]}");
        ModelFiles.Loaded graph = ModelFiles.load(graphZip);
        assertTrue(graph.classifier() instanceof GraphClassifier, graph.description());
        assertEquals(List.of("w", "x", "y", "z"), graph.classifier().classNames());
        INDArray images = Dl4jTestNetworks.images(5, 2).castTo(DataType.FLOAT);
        INDArray dl4j = Dl4jTestNetworks.dl4jLogits(residual).apply(images);
        assertEquals(0, graph.classifier().logits(images).sub(dl4j).amaxNumber().doubleValue(), 1e-4);

        MultiLayerNetwork upsampling = Dl4jTestNetworks.upsamplingMultiLayer(6);
        Path fallbackZip = dir.resolve("upsampling.zip");
        ModelSerializer.writeModel(upsampling, fallbackZip.toFile(), false);
        DataException noSize = assertThrows(DataException.class, () -> ModelFiles.load(fallbackZip));
        assertTrue(noSize.getMessage().contains("--input-shape"), noSize.getMessage());
        ModelFiles.Loaded fallback = ModelFiles.load(fallbackZip, new ModelFiles.Given(null, null, new int[]{3, 8, 8}));
        assertTrue(fallback.classifier() instanceof Dl4jBackpropClassifier, fallback.description());
        assertTrue(fallback.description().contains("Upsampling2D"), fallback.description());
        assertEquals(0, fallback.classifier().logits(images).sub(Dl4jTestNetworks.dl4jLogits(upsampling).apply(images))
                .amaxNumber().doubleValue(), 1e-4);
    }

    /** An ONNX export with a sidecar for class names and normalization, and the command line over the sidecar. */
    @Test
    void onnxModelsTakeTheirNamesAndNormalizationFromTheSidecarOrTheCommandLine() throws Exception {
        Path onnx = dir.resolve("onnx/small_cnn.onnx");
        Files.createDirectories(onnx.getParent());
        Files.copy(Path.of("src/test/resources/onnx/small_cnn.onnx"), onnx);
        ModelFiles.Loaded bare = ModelFiles.load(onnx);
        assertEquals(List.of("class 0", "class 1", "class 2", "class 3", "class 4"), bare.classifier().classNames());
        assertArrayEquals(new int[]{3, 16, 16}, bare.classifier().inputShape());
        Files.writeString(dir.resolve("onnx/small_cnn.json"),
                "{\"classNames\": [\"a\", \"b\", \"c\", \"d\", \"e\"], \"mean\": [0.5, 0.5, 0.5], \"std\": [0.5, 0.5, 0.5]}");
        ModelFiles.Loaded described = ModelFiles.load(onnx);
        assertEquals("e", described.classifier().classNames().get(4));
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16);
        INDArray normalized = image.sub(0.5).div(0.5);
        assertEquals(0, described.classifier().logits(image).sub(bare.classifier().logits(normalized)).amaxNumber().doubleValue(), 1e-5,
                "the sidecar's normalization is the model's first op");
        ModelFiles.Loaded overridden = ModelFiles.load(onnx, new ModelFiles.Given(List.of("1", "2", "3", "4", "5"), null, null));
        assertEquals("5", overridden.classifier().classNames().get(4));
        DataException wrongCount = assertThrows(DataException.class,
                () -> ModelFiles.load(onnx, new ModelFiles.Given(List.of("1", "2"), null, null)));
        assertTrue(wrongCount.getMessage().contains("2 class names for a model with 5 outputs"), wrongCount.getMessage());
        DataException unsupported = assertThrows(DataException.class,
                () -> ModelFiles.load(Path.of("src/test/resources/onnx/unsupported.onnx")));
        assertTrue(unsupported.getMessage().contains("Resize"), unsupported.getMessage());
    }
}
