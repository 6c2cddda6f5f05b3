package org.xaiworkbench.model.io.onnx;

import org.xaiworkbench.model.graph.Activation;
import org.xaiworkbench.model.graph.Add;
import org.xaiworkbench.model.graph.Affine;
import org.xaiworkbench.model.graph.Concat;
import org.xaiworkbench.model.graph.Conv;
import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.GlobalAveragePool;
import org.xaiworkbench.model.graph.Identity;
import org.xaiworkbench.model.graph.Pool;
import org.xaiworkbench.model.graph.ZeroPad;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixtures are PyTorch exports (src/test/resources/onnx/make_fixtures.py); the refused
 * attributes and the operators PyTorch does not write in them are models built here.
 */
class OnnxImportTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(OnnxImportTest.class.getResource("/onnx/" + name).toURI());
    }

    @Test
    void theSmallCnnKeepsTheExportersNodesNamesAndShapes() throws Exception {
        LayerGraph graph = OnnxImport.read(fixture("small_cnn.onnx"));

        assertEquals(List.of(3, 16, 16), List.of(graph.channels(), graph.height(), graph.width()));
        assertEquals(List.of("/stem/stem.0/Conv", "/stem/stem.2/Relu", "/stem/stem.3/Conv", "/stem/stem.5/Relu",
                "/block/block.0/Conv", "/block/block.2/Relu", "/block/block.3/Conv", "/Add", "/Relu",
                "/max_branch/MaxPool", "/avg_branch/AveragePool", "/Concat", "/mix_norm/BatchNormalization", "/mix/Conv",
                "/mix_act/LeakyRelu", "/pool/AveragePool", "/gap/GlobalAveragePool", "/Flatten", "/fc/Gemm"),
                graph.nodes().stream().map(LayerGraph.Node::name).toList());
        assertEquals(5, graph.numClasses());

        Map<String, long[]> shapes = graph.shapes();
        assertArrayEquals(new long[]{8, 16, 16}, shapes.get("/stem/stem.0/Conv"));
        assertArrayEquals(new long[]{16, 8, 8}, shapes.get("/stem/stem.3/Conv"));
        assertArrayEquals(new long[]{32, 8, 8}, shapes.get("/Concat"));
        assertArrayEquals(new long[]{16, 4, 4}, shapes.get("/pool/AveragePool"));
        assertArrayEquals(new long[]{16, 1, 1}, shapes.get("/gap/GlobalAveragePool"));
        assertArrayEquals(new long[]{16}, shapes.get("/Flatten"));

        assertEquals(List.of("/block/block.3/Conv", "/stem/stem.5/Relu"), graph.node("/Add").inputs());
        assertEquals(List.of("/max_branch/MaxPool", "/avg_branch/AveragePool"), graph.node("/Concat").inputs());
        assertInstanceOf(Add.class, graph.node("/Add").op());
        assertInstanceOf(Concat.class, graph.node("/Concat").op());
        assertInstanceOf(Affine.class, graph.node("/mix_norm/BatchNormalization").op());
        assertInstanceOf(GlobalAveragePool.class, graph.node("/gap/GlobalAveragePool").op());
        assertInstanceOf(Flatten.class, graph.node("/Flatten").op());

        Conv stride2 = (Conv) graph.node("/stem/stem.3/Conv").op();
        assertEquals(List.of(2, 2, 1, 1), List.of(stride2.strideH(), stride2.strideW(), stride2.padH(), stride2.padW()));
        // The exporter folds the following batch norm into this bias-free conv, so the conv now has a bias.
        assertNotNull(stride2.bias());

        assertEquals(new Pool(Pool.Mode.MAX, 3, 3, 1, 1, 1, 1, false), graph.node("/max_branch/MaxPool").op());
        assertEquals(new Pool(Pool.Mode.AVERAGE, 3, 3, 1, 1, 1, 1, false), graph.node("/avg_branch/AveragePool").op());
        // AvgPool2d(2) exports a zero Pad before the pool: read as no padding, the Pad not a layer.
        assertEquals(new Pool(Pool.Mode.AVERAGE, 2, 2, 2, 2, 0, 0, false), graph.node("/pool/AveragePool").op());
        assertEquals(List.of("/mix_act/LeakyRelu"), graph.node("/pool/AveragePool").inputs());
        assertEquals(new Activation(Activation.Function.LEAKY_RELU, 0.1), graph.node("/mix_act/LeakyRelu").op());

        Dense fc = (Dense) graph.node("/fc/Gemm").op();
        assertArrayEquals(new long[]{5, 16}, fc.weight().shape());
        assertArrayEquals(new long[]{5}, fc.bias().shape());
    }

    @Test
    void theUnfoldedExportKeepsEachBatchNormAsAnAffineLayer() throws Exception {
        LayerGraph graph = OnnxImport.read(fixture("small_cnn_unfolded.onnx"));

        List<String> affine = graph.nodes().stream().filter(n -> n.op() instanceof Affine).map(LayerGraph.Node::name).toList();
        assertEquals(List.of("/stem/stem.1/BatchNormalization", "/stem/stem.4/BatchNormalization", "/block/block.1/BatchNormalization",
                "/block/block.4/BatchNormalization", "/mix_norm/BatchNormalization"), affine);
        assertNull(((Conv) graph.node("/stem/stem.3/Conv").op()).bias());
        assertEquals(List.of("/stem/stem.3/Conv"), graph.node("/stem/stem.4/BatchNormalization").inputs());
    }

    @Test
    void aCountedPadADynamicViewAndAMatMulPlusBiasBecomeAPoolAFlattenAndOneDenseLayer() throws Exception {
        LayerGraph graph = OnnxImport.read(fixture("matmul_head.onnx"));

        assertEquals(List.of(3, 4, 4), List.of(graph.channels(), graph.height(), graph.width()));
        assertEquals(List.of("/conv/Conv", "/Tanh", "/pool/AveragePool", "/Reshape", "/MatMul"),
                graph.nodes().stream().map(LayerGraph.Node::name).toList());
        // AvgPool2d(3, padding=1) counts its padding: exported as a Pad before an unpadded AveragePool.
        assertEquals(new Pool(Pool.Mode.AVERAGE, 3, 3, 1, 1, 1, 1, true), graph.node("/pool/AveragePool").op());
        assertEquals(List.of("/Tanh"), graph.node("/pool/AveragePool").inputs());
        assertInstanceOf(Flatten.class, graph.node("/Reshape").op());
        Dense dense = (Dense) graph.node("/MatMul").op();
        assertArrayEquals(new long[]{4, 48}, dense.weight().shape());
        assertNotNull(dense.bias());
        assertEquals(4, graph.numClasses());
    }

    /**
     * Against PyTorch's float64 logits and input gradients (saved as float32). In double the only
     * differences are float32 roundings (measured below 1e-7 for logits, 1e-9 for gradients of up to
     * 2e-3), so the bounds are tight: 1e-6 for logits and 1e-4 of the largest gradient. In float,
     * as real models run, the bounds are the 1e-4 asked of an importer and 1e-3 of the largest gradient.
     */
    @Test
    void theSmallCnnGivesPyTorchsLogitsAndInputGradients() throws Exception {
        INDArray x = NpyFiles.read(fixture("small_cnn_input.npy"));
        INDArray logits = NpyFiles.read(fixture("small_cnn_logits.npy"));
        INDArray gradient = NpyFiles.read(fixture("small_cnn_grad.npy"));
        double largestGradient = gradient.amaxNumber().doubleValue();
        int[] targets = {1, 3};
        for (String model : List.of("small_cnn.onnx", "small_cnn_unfolded.onnx")) {
            GraphClassifier inDouble = classifier(OnnxImport.read(fixture(model)), DataType.DOUBLE);
            assertEquals(0, maxDifference(inDouble.logits(x), logits), 1e-6, model);
            assertEquals(0, maxDifference(inDouble.scoreGradient(x, targets, Score.LOGIT), gradient), 1e-4 * largestGradient, model);
        }
        GraphClassifier inFloat = classifier(OnnxImport.read(fixture("small_cnn.onnx")), DataType.FLOAT);
        assertEquals(0, maxDifference(inFloat.logits(x), logits), 1e-4);
        assertEquals(0, maxDifference(inFloat.scoreGradient(x, targets, Score.LOGIT), gradient), 1e-3 * largestGradient);
    }

    @Test
    void theMatMulHeadGivesPyTorchsLogits() throws Exception {
        GraphClassifier classifier = classifier(OnnxImport.read(fixture("matmul_head.onnx")), DataType.DOUBLE);
        assertEquals(0, maxDifference(classifier.logits(NpyFiles.read(fixture("matmul_head_input.npy"))),
                NpyFiles.read(fixture("matmul_head_logits.npy"))), 1e-6);
    }

    private static GraphClassifier classifier(LayerGraph graph, DataType type) {
        List<String> classes = IntStream.range(0, graph.numClasses()).mapToObj(i -> "class " + i).toList();
        return new GraphClassifier(graph, null, classes, type);
    }

    private static double maxDifference(INDArray actual, INDArray expected) {
        assertArrayEquals(expected.shape(), actual.shape());
        return actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @Test
    void anUnsupportedOperatorIsNamedWithItsNode() throws Exception {
        Path file = fixture("unsupported.onnx");
        assertRefused(file, "unsupported ONNX operators: Resize (node /up/Resize); supported: Conv, ");
    }

    @Test
    void everyUnsupportedOperatorIsListedAtOnce() throws Exception {
        List<NodeProto> nodes = List.of(
                node("Selu", "scale", List.of("x"), "m"),
                node("Softsign", "soft", List.of("m"), "s"),
                node("Selu", "", List.of("s"), "m2"),
                node("Flatten", "flat", List.of("m2"), "f"),
                node("Gemm", "fc", List.of("f", "w"), "logits", intAttribute("transB", 1)));
        Path file = write(graph(nodes, image("x", "N", 1, 2, 2), floats("w", new long[]{3, 4}, new float[12])));
        assertRefused(file, "unsupported ONNX operators: Selu (nodes scale, m2), Softsign (node soft); supported: ");
    }

    @Test
    void garbageIsNotAnOnnxModel() throws Exception {
        Path file = dir.resolve("weights.onnx");
        Files.writeString(file, "this is not a protobuf \u0000\u00ff\u00fe model\n".repeat(20));
        assertRefused(file, "not an ONNX model");
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        assertRefused(empty, "not an ONNX model (no graph)");
        assertRefused(dir.resolve("absent.onnx"), "missing");
    }

    @Test
    void theOtherOperatorsAndOptionsMapToTheirLayers() throws Exception {
        float[] b = new float[18 * 3];
        for (int i = 0; i < b.length; i++) {
            b[i] = i;
        }
        List<NodeProto> nodes = List.of(
                node("Conv", "conv", List.of("x", "k"), "c", ints("kernel_shape", 1, 1), ints("dilations", 1, 1)),
                node("Elu", "elu", List.of("c"), "e"),
                node("Sigmoid", "", List.of("e"), "sig_out"),
                node("Tanh", "tanh", List.of("sig_out"), "t"),
                node("Identity", "same", List.of("t"), "i"),
                node("Dropout", "drop", List.of("i"), "d"),
                node("Constant", "shape", List.of(), "sh", tensorAttribute("value", longs("", 0, -1))),
                node("Reshape", "flat", List.of("d", "sh"), "f"),
                node("Gemm", "fc", List.of("f", "w", "bias"), "logits", intAttribute("transB", 0)));
        LayerGraph graph = OnnxImport.read(write(graph(nodes, image("x", "N", 2, 3, 3),
                floats("k", new long[]{2, 2, 1, 1}, new float[]{1, 0, 0, 1}),
                floats("w", new long[]{18, 3}, b), floats("bias", new long[]{3}, new float[]{1, 2, 3}))));

        assertEquals(List.of("conv", "elu", "sig_out", "tanh", "same", "drop", "flat", "fc"),
                graph.nodes().stream().map(LayerGraph.Node::name).toList());
        assertEquals(new Activation(Activation.Function.ELU, 1.0), graph.node("elu").op());
        assertEquals(Activation.Function.SIGMOID, ((Activation) graph.node("sig_out").op()).function());
        assertEquals(Activation.Function.TANH, ((Activation) graph.node("tanh").op()).function());
        assertInstanceOf(Identity.class, graph.node("same").op());
        assertInstanceOf(Identity.class, graph.node("drop").op());
        assertInstanceOf(Flatten.class, graph.node("flat").op());
        // transB=0: B is [in,out] and the dense weight [out,in] its transpose.
        INDArray weight = ((Dense) graph.node("fc").op()).weight();
        assertArrayEquals(new long[]{3, 18}, weight.shape());
        assertEquals(5 * 3 + 1, weight.getFloat(1, 5));
    }

    @Test
    void asymmetricConvolutionPadsBecomeAZeroPaddingLayerInFront() throws Exception {
        LayerGraph graph = OnnxImport.read(write(convModel(ints("pads", 2, 2, 0, 0))));
        assertEquals(List.of("conv/pad", "conv", "flat", "fc"), graph.nodes().stream().map(LayerGraph.Node::name).toList());
        assertEquals(new ZeroPad(2, 0, 2, 0), graph.node("conv/pad").op());
        assertArrayEquals(new long[]{2, 4, 4}, graph.shapes().get("conv"));
        assertEquals(0, ((Conv) graph.node("conv").op()).padH());
    }

    @Test
    void refusedConvolutionAttributesNameTheNodeAndTheAttribute() throws Exception {
        assertRefused(write(convModel(intAttribute("group", 3))), "node conv (Conv): group 3 does not divide the 2 output channels");
        assertRefused(write(convModel(intAttribute("group", 2))), "convolution expects 2 channels, gets 1");
        assertRefused(write(convModel(stringAttribute("auto_pad", "SAME_UPPER"))), "node conv (Conv): auto_pad SAME_UPPER");
    }

    @Test
    void refusedModelShapesSayWhatIsWrong() throws Exception {
        List<NodeProto> softmaxEnd = new ArrayList<>(convModel().getNodeList());
        softmaxEnd.set(softmaxEnd.size() - 1, softmaxEnd.get(softmaxEnd.size() - 1).toBuilder().setOutput(0, "z").build());
        softmaxEnd.add(node("Softmax", "probabilities", List.of("z"), "logits"));
        assertRefused(write(convModel().toBuilder().clearNode().addAllNode(softmaxEnd)),
                "the model ends with Softmax (node probabilities); it must end with the logits");

        assertRefused(write(convModel().toBuilder().addInput(image("mask", "N", 1, 4, 4))), "the model has 2 inputs [x, mask]");
        assertRefused(write(convModel().toBuilder().setInput(0, image("x", "N", 1, "height", 4))),
                "the input 'x' has shape [N, 1, height, 4]; it must be [N,C,H,W] with fixed C, H and W");
        assertRefused(write(convModel().toBuilder().addOutput(ValueInfoProto.newBuilder().setName("c"))),
                "the model has 2 outputs [logits, c]; only one, the logits, is supported");

        TensorProto intKernel = TensorProto.newBuilder().setName("k").addAllDims(List.of(2L, 1L, 3L, 3L))
                .setDataType(TensorProto.DataType.INT32_VALUE).addAllInt32Data(Collections.nCopies(18, 1)).build();
        GraphProto.Builder intWeights = convModel().toBuilder();
        intWeights.setInitializer(0, intKernel);
        assertRefused(write(intWeights), "node conv (Conv): tensor 'k' has data type INT32; only float and double are supported");
    }

    /** x [N,1,4,4] -> conv 3x3 pad 1 (2 channels) -> flatten -> dense to 3 logits; the conv takes {@code convOptions}. */
    private static GraphProto convModel(AttributeProto... convOptions) {
        List<AttributeProto> options = new ArrayList<>(List.of(ints("kernel_shape", 3, 3)));
        options.addAll(Arrays.asList(convOptions));
        if (options.stream().noneMatch(a -> a.getName().equals("pads") || a.getName().equals("auto_pad"))) {
            options.add(ints("pads", 1, 1, 1, 1));
        }
        List<NodeProto> nodes = List.of(
                node("Conv", "conv", List.of("x", "k"), "c", options.toArray(AttributeProto[]::new)),
                node("Flatten", "flat", List.of("c"), "f"),
                node("Gemm", "fc", List.of("f", "w"), "logits", intAttribute("transB", 1)));
        return graph(nodes, image("x", "N", 1, 4, 4), floats("k", new long[]{2, 1, 3, 3}, new float[18]),
                floats("w", new long[]{3, 32}, new float[96])).build();
    }

    private void assertRefused(Path file, String expected) {
        DataException e = assertThrows(DataException.class, () -> OnnxImport.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private Path write(GraphProto.Builder graph) throws Exception {
        return write(graph.build());
    }

    private Path write(GraphProto graph) throws Exception {
        Path file = Files.createTempFile(dir, "built", ".onnx");
        Files.write(file, ModelProto.newBuilder().setIrVersion(7).setProducerName("OnnxImportTest").setGraph(graph)
                .build().toByteArray());
        return file;
    }

    private static GraphProto.Builder graph(List<NodeProto> nodes, ValueInfoProto input, TensorProto... initializers) {
        return GraphProto.newBuilder().setName("built").addAllNode(nodes).addInput(input)
                .addOutput(ValueInfoProto.newBuilder().setName("logits")).addAllInitializer(List.of(initializers));
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build();
    }

    /** A float image input; each dimension a number or a symbolic name. */
    private static ValueInfoProto image(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            shape.addDim(dim instanceof Integer n ? TensorShapeProto.Dimension.newBuilder().setDimValue(n)
                    : TensorShapeProto.Dimension.newBuilder().setDimParam((String) dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    /** Stored as raw little-endian bytes, as PyTorch writes initializers. */
    private static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).addAllDims(Arrays.stream(dims).boxed().toList())
                .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    private static TensorProto longs(String name, long... values) {
        return TensorProto.newBuilder().setName(name).addDims(values.length).setDataType(TensorProto.DataType.INT64_VALUE)
                .addAllInt64Data(Arrays.stream(values).boxed().toList()).build();
    }

    private static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto stringAttribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    private static AttributeProto tensorAttribute(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }
}
