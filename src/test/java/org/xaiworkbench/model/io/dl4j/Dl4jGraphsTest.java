package org.xaiworkbench.model.io.dl4j;

import org.xaiworkbench.model.graph.Conv;
import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.Pool;
import org.xaiworkbench.model.graph.ZeroPad;

import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jGraphsTest {
    private static final List<String> CLASS_NAMES = List.of("a", "b", "c", "d");

    @Test
    void residualGraphGivesDl4jLogitsAndTheirGradient() {
        ComputationGraph network = Dl4jTestNetworks.residualGraph(3, false);
        assertMatchesDl4j(network, converted(Dl4jGraphs.convert(network, 3, 8, 8)));
    }

    @Test
    void multiLayerNetworkGivesDl4jLogitsAndTheirGradient() {
        MultiLayerNetwork network = Dl4jTestNetworks.smallMultiLayer(4, false);
        assertMatchesDl4j(network, converted(Dl4jGraphs.convert(network, 3, 8, 8)));
    }

    @Test
    void zeroPaddingAndRelu6GiveDl4jLogitsAndTheirGradient() {
        MultiLayerNetwork net = network(InputType.convolutional(8, 8, 3),
                new ZeroPaddingLayer.Builder(1, 0, 2, 1).name("pad").build(),
                new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU6).name("conv").build(),
                new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).name("out").build());
        LayerGraph graph = converted(Dl4jGraphs.convert(net, 3, 8, 8));
        assertEquals(new ZeroPad(1, 0, 2, 1), graph.node("pad").op());
        assertMatchesDl4j(net, graph);
    }

    @Test
    void sameModeWithEvenPaddingGivesDl4jLogits() {
        MultiLayerNetwork net = network(InputType.convolutional(8, 8, 3),
                new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.ELU).name("conv").build(),
                new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1).convolutionMode(ConvolutionMode.Same)
                        .avgPoolIncludePadInDivisor(true).name("avg").build(),
                new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).convolutionMode(ConvolutionMode.Same)
                        .name("max").build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).name("out").build());
        LayerGraph graph = converted(Dl4jGraphs.convert(net, 3, 8, 8));
        assertEquals(1, ((Conv) graph.node("conv/preactivation").op()).padH(), "4x4/2 on 8 pixels: 2 padding, 1 on each side");
        Pool average = (Pool) graph.node("avg").op();
        assertEquals(1, average.padH());
        assertTrue(average.countPadding());
        assertEquals(0, ((Pool) graph.node("max").op()).padH());
        INDArray x = Dl4jTestNetworks.images(2, 3);
        assertClose(Dl4jTestNetworks.dl4jLogits(net).apply(x), new GraphClassifier(graph, null, CLASS_NAMES, DataType.DOUBLE).logits(x), 1e-9);
    }

    /** Logits equal DL4J's; the logit's input gradient equals central differences of DL4J's logit. */
    private static void assertMatchesDl4j(Model network, LayerGraph graph) {
        GraphClassifier classifier = new GraphClassifier(graph, null, CLASS_NAMES, DataType.DOUBLE);
        UnaryOperator<INDArray> dl4j = Dl4jTestNetworks.dl4jLogits(network);
        INDArray x = Dl4jTestNetworks.images(5, 3);
        assertClose(dl4j.apply(x), classifier.logits(x), 1e-9);
        INDArray alone = x.get(NDArrayIndex.interval(1, 2));
        assertClose(dl4j.apply(alone), classifier.logits(alone), 1e-9);

        int[] classes = {0, 3};
        INDArray two = x.get(NDArrayIndex.interval(0, 2));
        INDArray expected = Dl4jTestNetworks.finiteDifferences(dl4j, two, classes, Score.LOGIT, 1e-6);
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "a gradient worth comparing");
        assertClose(expected, classifier.scoreGradient(two, classes, Score.LOGIT), 1e-6);

        // DeepLIFT's completeness: the contributions sum to the change of the logit from a black baseline
        INDArray black = two.mul(0);
        INDArray contributions = classifier.rescaleMultipliers(two, black, classes).mul(two);
        INDArray change = dl4j.apply(two).sub(dl4j.apply(black));
        for (int i = 0; i < classes.length; i++) {
            assertEquals(change.getDouble(i, classes[i]), contributions.get(NDArrayIndex.point(i)).sumNumber().doubleValue(), 1e-6);
        }
    }

    @Test
    void residualGraphNodesAreNamedAfterDl4jLayers() {
        LayerGraph graph = converted(Dl4jGraphs.convert(Dl4jTestNetworks.residualGraph(3, false), 3, 8, 8));
        Map<String, String> kinds = new LinkedHashMap<>();
        graph.nodes().forEach(node -> kinds.put(node.name(), node.op().describe()));
        assertEquals(List.of("conv1", "bn1", "relu1", "conv2/preactivation", "conv2", "residual",
                "down/preactivation", "down", "avgpool", "merge", "gap/pool", "gap", "fc/preactivation", "fc", "out"),
                List.copyOf(kinds.keySet()));
        assertEquals("conv 3x3", kinds.get("conv1"));
        assertEquals("affine (batch norm)", kinds.get("bn1"));
        assertEquals("relu", kinds.get("relu1"));
        assertEquals("relu", kinds.get("conv2"));
        assertEquals("conv 3x3/2", kinds.get("down/preactivation"));
        assertEquals("leaky-relu", kinds.get("down"));
        assertEquals("avg-pool 3x3/2", kinds.get("avgpool"));
        assertEquals("global avg-pool", kinds.get("gap/pool"));
        assertEquals("tanh", kinds.get("fc"));
        assertEquals(List.of("relu1", "conv2"), graph.node("residual").inputs());
        assertEquals(List.of("down", "avgpool"), graph.node("merge").inputs());
        assertEquals(LayerGraph.INPUT, graph.node("conv1").inputs().get(0));

        Map<String, long[]> shapes = graph.shapes();
        assertArrayEquals(new long[]{4, 8, 8}, shapes.get("residual"));
        assertArrayEquals(new long[]{9, 4, 4}, shapes.get("merge"));
        assertArrayEquals(new long[]{9}, shapes.get("gap"));
        assertArrayEquals(new long[]{Dl4jTestNetworks.CLASSES}, shapes.get("out"));
        Pool pool = (Pool) graph.node("avgpool").op();
        assertEquals(1, pool.padH());
        assertFalse(pool.countPadding(), "avgPoolIncludePadInDivisor(false)");
        assertEquals(1, ((Conv) graph.node("conv1").op()).padH(), "Same mode, 3x3, stride 1");
        assertEquals(List.of("conv1", "bn1", "relu1", "conv2/preactivation", "conv2", "residual",
                "down/preactivation", "down", "avgpool", "merge"), graph.spatialLayers());
    }

    @Test
    void multiLayerNetworkFlattensBeforeItsDenseLayer() {
        LayerGraph graph = converted(Dl4jGraphs.convert(Dl4jTestNetworks.smallMultiLayer(4, false), 3, 8, 8));
        assertEquals(List.of("conv/preactivation", "conv", "pool", "dense/flatten", "dense/preactivation", "dense", "out"),
                graph.nodes().stream().map(LayerGraph.Node::name).toList());
        assertInstanceOf(Flatten.class, graph.node("dense/flatten").op());
        assertArrayEquals(new long[]{45}, graph.shapes().get("dense/flatten"));
        assertArrayEquals(new long[]{6, 45}, ((Dense) graph.node("dense/preactivation").op()).weight().shape(),
                "DL4J's [in,out] weight as [out,in]");
    }

    @Test
    void dl4jFlattensImagesChannelMajor() {
        INDArray x = Nd4j.linspace(DataType.DOUBLE, 0, 2 * 3 * 4 * 5, 1).reshape(2, 3, 4, 5);
        INDArray flat = new CnnToFeedForwardPreProcessor(4, 5, 3).preProcess(x, 2, LayerWorkspaceMgr.noWorkspaces());
        assertEquals(x.reshape('c', 2, 60), flat, "[N,C,H,W] read in C, H, W order, as PyTorch's view(N, -1)");
    }

    @Test
    void inputSizeComesFromTheConfigurationOnlyWhenItIsRecorded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jGraphs.convert(Dl4jTestNetworks.smallMultiLayer(4, false)));
        assertEquals("the input size of this MultiLayerNetwork is not recorded in its configuration; give channels, height and width",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dl4jGraphs.convert(Dl4jTestNetworks.residualGraph(3, false)));

        MultiLayerNetwork flat = Dl4jTestNetworks.smallMultiLayer(4, true);
        LayerGraph graph = converted(Dl4jGraphs.convert(flat));
        assertEquals(List.of(3, 8, 8), List.of(graph.channels(), graph.height(), graph.width()));
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> Dl4jGraphs.convert(flat, 3, 16, 16));
        assertTrue(mismatch.getMessage().contains("3x8x8"), mismatch.getMessage());

        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                () -> Dl4jGraphs.convert(Dl4jTestNetworks.smallMultiLayer(4, false), 3, 10, 10));
        assertTrue(wrongSize.getMessage().startsWith("dense/flatten: flattens 5x3x3 activations"), wrongSize.getMessage());
    }

    @Test
    void unsupportedLayersAreListedInsteadOfAGraph() {
        MultiLayerNetwork net = network(InputType.convolutional(8, 8, 3),
                new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).name("conv").build(),
                new Upsampling2D.Builder(2).name("up").build(),
                new ZeroPaddingLayer.Builder(1, 1).name("pad").build(),
                new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4).convolutionMode(ConvolutionMode.Same).name("uneven").build(),
                new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU6).name("relu6").build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(2).activation(Activation.SIGMOID).name("out").build());
        Dl4jGraphs.Conversion conversion = Dl4jGraphs.convert(net, 3, 8, 8);
        assertNull(conversion.graph());
        assertFalse(conversion.converted());
        List<String> unsupported = conversion.unsupported();
        // zero padding and ReLU6 convert
        assertEquals(3, unsupported.size(), unsupported.toString());
        assertEquals("up (Upsampling2D)", unsupported.get(0));
        assertEquals("uneven (ConvolutionLayer: Same mode pads 0 before and 1 after on a 14-pixel input; only even padding is supported)",
                unsupported.get(1));
        assertTrue(unsupported.get(2).startsWith("out (OutputLayer: output activation sigmoid"), unsupported.get(2));
    }

    @Test
    void channelsLastNetworksAreUnsupported() {
        MultiLayerNetwork net = network(InputType.convolutional(8, 8, 3, CNN2DFormat.NHWC),
                new ConvolutionLayer.Builder(3, 3).nOut(4).name("conv").build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).name("out").build());
        List<String> unsupported = Dl4jGraphs.convert(net, 3, 8, 8).unsupported();
        assertEquals("conv (ConvolutionLayer: NHWC data format; only NCHW is supported)", unsupported.get(0));
        assertTrue(unsupported.stream().allMatch(entry -> entry.contains("NHWC")), unsupported.toString());
    }

    private static MultiLayerNetwork network(InputType input, org.deeplearning4j.nn.conf.layers.Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list();
        for (org.deeplearning4j.nn.conf.layers.Layer layer : layers) {
            list.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(input).build());
        net.init();
        return net;
    }

    @Test
    void loadRestoresEitherKindOfNetwork(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = Dl4jTestNetworks.smallMultiLayer(4, false);
        ComputationGraph graph = Dl4jTestNetworks.residualGraph(3, false);
        Path netZip = dir.resolve("net.zip");
        Path graphZip = dir.resolve("graph.zip");
        ModelSerializer.writeModel(net, netZip.toFile(), false);
        ModelSerializer.writeModel(graph, graphZip.toFile(), false);

        Model loadedNet = Dl4jGraphs.load(netZip);
        Model loadedGraph = Dl4jGraphs.load(graphZip);
        assertInstanceOf(MultiLayerNetwork.class, loadedNet);
        assertInstanceOf(ComputationGraph.class, loadedGraph);
        INDArray x = Dl4jTestNetworks.images(7, 2);
        assertClose(Dl4jTestNetworks.dl4jLogits(net).apply(x), logits(Dl4jGraphs.convert(loadedNet, 3, 8, 8), x), 1e-9);
        assertClose(Dl4jTestNetworks.dl4jLogits(graph).apply(x), logits(Dl4jGraphs.convert(loadedGraph, 3, 8, 8), x), 1e-9);
    }

    @Test
    void loadNamesAFileThatIsNoNetworkInOneLine(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.zip");
        Files.writeString(garbage, "not a model\n");
        DataException e = assertThrows(DataException.class, () -> Dl4jGraphs.load(garbage));
        assertTrue(e.getMessage().startsWith(garbage + ": neither a DL4J MultiLayerNetwork nor a ComputationGraph"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        DataException missing = assertThrows(DataException.class, () -> Dl4jGraphs.load(dir.resolve("absent.zip")));
        assertEquals(dir.resolve("absent.zip") + ": no such file", missing.getMessage());
    }

    private static INDArray logits(Dl4jGraphs.Conversion conversion, INDArray x) {
        return new GraphClassifier(converted(conversion), null, CLASS_NAMES, DataType.DOUBLE).logits(x);
    }

    private static LayerGraph converted(Dl4jGraphs.Conversion conversion) {
        assertTrue(conversion.converted(), () -> "unsupported: " + conversion.unsupported());
        return conversion.graph();
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape());
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= tolerance, "max |difference| " + difference + " > " + tolerance + "\nexpected " + expected
                + "\nactual " + actual);
    }
}
