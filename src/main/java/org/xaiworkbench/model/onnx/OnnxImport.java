package org.xaiworkbench.model.onnx;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an ONNX image classifier, as PyTorch's {@code torch.onnx.export} writes it, into a
 * {@link LayerGraph}: one input [N,C,H,W] with fixed C, H and W, one output of logits, and only
 * operators that have a {@link LayerOp}. Layers keep the ONNX node names. Anything else is refused
 * with a one-line {@link DataException} naming the file and the problem.
 *
 * <p>Beyond one node per layer, the reader folds three patterns the exporter writes: a MatMul by a
 * constant followed by the Add of a constant vector is one dense layer (torch.matmul(x, W) + b); a
 * Pad with zeros before an AveragePool is that pool's padding, counted in the average
 * (count_include_pad=True); and the batch-size arithmetic Shape, Gather, Unsqueeze, Concat in front
 * of a Reshape (x.view(x.size(0), -1) with a dynamic batch) is read as the shape [batch, -1].
 */
public final class OnnxImport {
    private static final List<String> LAYER_OPERATORS = List.of("Conv", "BatchNormalization", "Relu", "LeakyRelu", "Elu",
            "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool", "Gemm", "MatMul", "Add", "Concat", "Flatten",
            "Reshape", "Dropout", "Identity", "Constant");
    /** Operators read only as part of one of the folded patterns. */
    private static final List<String> PATTERN_OPERATORS = List.of("Pad", "Shape", "Gather", "Unsqueeze");
    private static final String SUPPORTED = String.join(", ", LAYER_OPERATORS)
            + "; Pad only before AveragePool; Shape, Gather and Unsqueeze only as the batch size in x.view(x.size(0), -1)";

    /** Stands for the batch size in integer tensors computed from a Shape, whose value is only known at run time. */
    private static final long BATCH = Long.MIN_VALUE;

    private final String source;
    private final GraphProto graph;
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, Integers> integers = new HashMap<>();
    /** For each tensor, the layer that gives it: {@link LayerGraph#INPUT}, a node's layer, or the layer a folded node passes on. */
    private final Map<String, String> layerOf = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<NodeProto> foldedAdds = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Zero padding [padH, padW] that a Pad adds to the tensor it gives, for the AveragePool reading it. */
    private final Map<String, int[]> paddingOf = new HashMap<>();
    /** Reshapes that name their width: the layer and the width, checked once the graph knows the input's shape. */
    private final Map<String, Long> reshapeWidths = new LinkedHashMap<>();
    private final List<LayerGraph.Node> nodes = new ArrayList<>();

    /** An integer tensor's values, {@link #BATCH} standing for the batch size; of a Shape, only the first value is known. */
    private record Integers(long[] values, boolean onlyBatchKnown) {
    }

    private record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
    }

    private OnnxImport(String source, GraphProto graph) {
        this.source = source;
        this.graph = graph;
    }

    public static LayerGraph read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": missing");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new DataException(file + ": not an ONNX model (" + DataException.firstLine(e) + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new DataException(file + ": not an ONNX model (no graph)");
        }
        try {
            return new OnnxImport(file.toString(), model.getGraph()).convert();
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": " + DataException.firstLine(e), e);
        }
    }

    private LayerGraph convert() {
        for (TensorProto initializer : graph.getInitializerList()) {
            constants.put(initializer.getName(), initializer);
        }
        ValueInfoProto input = theInput();
        int[] image = imageShape(input);
        layerOf.put(input.getName(), LayerGraph.INPUT);
        String output = theOutput();
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOutputCount() == 0 || node.getOutput(0).isEmpty()) {
                throw fail("a " + node.getOpType() + " node" + (node.getName().isEmpty() ? "" : " (" + node.getName() + ")") + " has no output");
            }
            for (String tensor : node.getInputList()) {
                consumers.computeIfAbsent(tensor, t -> new ArrayList<>()).add(node);
            }
        }
        refuseSoftmaxOutput(output);
        refuseUnsupportedOperators();
        for (NodeProto node : graph.getNodeList()) {
            if (!foldedAdds.contains(node)) {
                convertNode(node, output);
            }
        }
        if (nodes.isEmpty() || !nodes.get(nodes.size() - 1).name().equals(layerOf.get(output))) {
            throw fail("the graph output '" + output + "' is not given by the last layer"
                    + (nodes.isEmpty() ? "" : " ('" + nodes.get(nodes.size() - 1).name() + "')"));
        }
        LayerGraph layers = new LayerGraph(image[0], image[1], image[2], nodes);
        Map<String, long[]> shapes = layers.shapes();
        reshapeWidths.forEach((layer, width) -> {
            if (shapes.get(layer)[0] != width) {
                throw fail("node '" + layer + "' (Reshape) to [batch, " + width + "] is not a flatten of its input "
                        + Arrays.toString(shapes.get(layers.node(layer).inputs().get(0))));
            }
        });
        return layers;
    }

    private ValueInfoProto theInput() {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(i -> !constants.containsKey(i.getName())).toList();
        if (inputs.size() != 1) {
            throw fail("the model has " + inputs.size() + " inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                    + "; only models with one image input are supported");
        }
        return inputs.get(0);
    }

    /** Channels, height and width; the batch size may be a name. */
    private int[] imageShape(ValueInfoProto input) {
        TypeProto.Tensor type = input.getType().getTensorType();
        int elementType = type.getElemType();
        if (elementType != TensorProto.DataType.FLOAT_VALUE && elementType != TensorProto.DataType.DOUBLE_VALUE) {
            throw fail("the input '" + input.getName() + "' has element type " + dataTypeName(elementType)
                    + "; only float and double are supported");
        }
        List<TensorShapeProto.Dimension> dims = type.getShape().getDimList();
        boolean fixedImage = dims.size() == 4
                && dims.subList(1, 4).stream().allMatch(d -> d.hasDimValue() && d.getDimValue() > 0 && d.getDimValue() <= Integer.MAX_VALUE);
        if (!fixedImage) {
            throw fail("the input '" + input.getName() + "' has shape " + dims.stream().map(OnnxImport::describe).toList()
                    + "; it must be [N,C,H,W] with fixed C, H and W");
        }
        return dims.subList(1, 4).stream().mapToInt(d -> (int) d.getDimValue()).toArray();
    }

    private static String describe(TensorShapeProto.Dimension dim) {
        return dim.hasDimValue() ? String.valueOf(dim.getDimValue()) : dim.hasDimParam() ? dim.getDimParam() : "?";
    }

    private String theOutput() {
        if (graph.getOutputCount() != 1) {
            throw fail("the model has " + graph.getOutputCount() + " outputs "
                    + graph.getOutputList().stream().map(ValueInfoProto::getName).toList() + "; only one, the logits, is supported");
        }
        return graph.getOutput(0).getName();
    }

    /** The explanations are of logits; a model ending in a softmax would have them explain probabilities instead. */
    private void refuseSoftmaxOutput(String output) {
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOutputList().contains(output) && (node.getOpType().equals("Softmax") || node.getOpType().equals("LogSoftmax"))) {
                throw fail("the model ends with " + node.getOpType() + " (node " + layerName(node)
                        + "); it must end with the logits: export it without its final " + node.getOpType());
            }
        }
    }

    private void refuseUnsupportedOperators() {
        Map<String, List<String>> unsupported = new LinkedHashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            boolean standard = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            String type = node.getOpType();
            if (!standard || !(LAYER_OPERATORS.contains(type) || PATTERN_OPERATORS.contains(type))) {
                unsupported.computeIfAbsent(standard ? type : node.getDomain() + "." + type, t -> new ArrayList<>()).add(layerName(node));
            }
        }
        if (!unsupported.isEmpty()) {
            String listed = unsupported.entrySet().stream()
                    .map(e -> e.getKey() + " (node" + (e.getValue().size() > 1 ? "s " : " ") + String.join(", ", e.getValue()) + ")")
                    .collect(Collectors.joining(", "));
            throw fail("unsupported ONNX operators: " + listed + "; supported: " + SUPPORTED);
        }
    }

    private void convertNode(NodeProto node, String graphOutput) {
        refuseReadExtraOutputs(node, graphOutput);
        switch (node.getOpType()) {
            case "Constant" -> constants.put(node.getOutput(0), constantValue(node));
            case "Shape" -> {
                layer(node, 0); // of a tensor that exists, whatever its shape: only its batch size is read
                integers.put(node.getOutput(0), new Integers(new long[]{BATCH}, true));
            }
            case "Gather" -> gather(node);
            case "Unsqueeze" -> unsqueeze(node);
            case "Pad" -> pad(node);
            case "Concat" -> {
                if (node.getInputList().stream().allMatch(t -> integersOrNull(t) != null)) {
                    concatIntegers(node);
                } else {
                    if (intAttribute(node, "axis", 1) != 1) {
                        throw fail(node, "concatenation along axis " + intAttribute(node, "axis", 1) + " is not supported (only 1, the channels)");
                    }
                    add(node, new LayerOp.Concat(), layers(node));
                }
            }
            case "Conv" -> add(node, conv(node), layer(node, 0));
            case "BatchNormalization" -> add(node, batchNorm(node), layer(node, 0));
            case "Relu" -> add(node, LayerOp.Activation.relu(), layer(node, 0));
            case "LeakyRelu" -> add(node, new LayerOp.Activation(LayerOp.Activation.Function.LEAKY_RELU,
                    floatAttribute(node, "alpha", 0.01)), layer(node, 0));
            case "Elu" -> add(node, new LayerOp.Activation(LayerOp.Activation.Function.ELU, floatAttribute(node, "alpha", 1)),
                    layer(node, 0));
            case "Sigmoid" -> add(node, new LayerOp.Activation(LayerOp.Activation.Function.SIGMOID, 0), layer(node, 0));
            case "Tanh" -> add(node, new LayerOp.Activation(LayerOp.Activation.Function.TANH, 0), layer(node, 0));
            case "MaxPool", "AveragePool" -> add(node, pool(node), layer(node, 0));
            case "GlobalAveragePool" -> add(node, new LayerOp.GlobalAveragePool(), layer(node, 0));
            case "Gemm" -> add(node, gemm(node), layer(node, 0));
            case "MatMul" -> matMul(node, graphOutput);
            case "Add" -> {
                if (node.getInputList().stream().anyMatch(constants::containsKey)) {
                    throw fail(node, "adding a constant is supported only as the bias right after a MatMul");
                }
                add(node, new LayerOp.Add(), layers(node));
            }
            case "Flatten" -> {
                if (intAttribute(node, "axis", 1) != 1) {
                    throw fail(node, "flattening from axis " + intAttribute(node, "axis", 1) + " is not supported (only 1)");
                }
                add(node, new LayerOp.Flatten(), layer(node, 0));
            }
            case "Reshape" -> reshape(node);
            case "Dropout", "Identity" -> add(node, new LayerOp.Identity(), layer(node, 0));
            default -> throw new IllegalStateException("operator " + node.getOpType() + " passed the operator check unhandled");
        }
    }

    private void add(NodeProto node, LayerOp op, String input) {
        add(node, op, List.of(input));
    }

    private void add(NodeProto node, LayerOp op, List<String> inputs) {
        String name = layerName(node);
        layerOf.put(node.getOutput(0), name);
        nodes.add(new LayerGraph.Node(name, op, inputs));
    }

    private static String layerName(NodeProto node) {
        return node.getName().isEmpty() ? node.getOutput(0) : node.getName();
    }

    /** Dropout's mask, MaxPool's indices and the like have no layer; a model that reads them cannot be run as layers. */
    private void refuseReadExtraOutputs(NodeProto node, String graphOutput) {
        for (String extra : node.getOutputList().subList(Math.min(1, node.getOutputCount()), node.getOutputCount())) {
            if (!extra.isEmpty() && (consumers.containsKey(extra) || extra.equals(graphOutput))) {
                throw fail(node, "its output '" + extra + "' is read; only the first output of " + node.getOpType() + " is supported");
            }
        }
    }

    /** The tensor name of an input, empty for an optional input left out. */
    private static String input(NodeProto node, int index) {
        return index < node.getInputCount() ? node.getInput(index) : "";
    }

    private String layer(NodeProto node, int index) {
        String tensor = input(node, index);
        if (tensor.isEmpty()) {
            throw fail(node, "input " + (index + 1) + " is missing");
        }
        String layer = layerOf.get(tensor);
        if (layer == null) {
            throw fail(node, constants.containsKey(tensor) || integers.containsKey(tensor)
                    ? "reads the constant '" + tensor + "' where a layer's output is expected"
                    : "reads '" + tensor + "', which no earlier node gives");
        }
        return layer;
    }

    private List<String> layers(NodeProto node) {
        List<String> layers = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            layers.add(layer(node, i));
        }
        return layers;
    }

    private LayerOp.Conv conv(NodeProto node) {
        if (intAttribute(node, "group", 1) != 1) {
            throw fail(node, "group " + intAttribute(node, "group", 1) + " is not supported (only 1: no grouped or depthwise convolutions)");
        }
        INDArray weight = weight(node, 1);
        if (weight.rank() != 4) {
            throw fail(node, "only 2-d convolutions are supported, the weight has shape " + Arrays.toString(weight.shape()));
        }
        Window w = window(node, new long[]{weight.size(2), weight.size(3)});
        if (w.kernelH() != weight.size(2) || w.kernelW() != weight.size(3)) {
            throw fail(node, "kernel_shape " + w.kernelH() + "x" + w.kernelW() + " does not match the weight's "
                    + Arrays.toString(weight.shape()));
        }
        INDArray bias = optionalWeight(node, 2);
        return new LayerOp.Conv(weight, bias == null ? null : bias.reshape(bias.length()), w.strideH(), w.strideW(), w.padH(),
                w.padW(), w.dilationH(), w.dilationW());
    }

    private LayerOp.Affine batchNorm(NodeProto node) {
        if (intAttribute(node, "training_mode", 0) != 0 || node.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            throw fail(node, "batch normalisation in training mode is not supported; export the model in eval mode");
        }
        return LayerOp.Affine.batchNorm(weight(node, 1), weight(node, 2), weight(node, 3), weight(node, 4),
                floatAttribute(node, "epsilon", 1e-5));
    }

    private LayerOp.Pool pool(NodeProto node) {
        if (intAttribute(node, "ceil_mode", 0) != 0) {
            throw fail(node, "ceil_mode 1 is not supported (only 0)");
        }
        Window w = window(node, null);
        if (w.dilationH() != 1 || w.dilationW() != 1) {
            throw fail(node, "dilated pooling is not supported");
        }
        if (node.getOpType().equals("MaxPool")) {
            return new LayerOp.Pool(LayerOp.Pool.Mode.MAX, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padH(), w.padW(), false);
        }
        boolean countPadding = intAttribute(node, "count_include_pad", 0) != 0;
        int padH = w.padH();
        int padW = w.padW();
        int[] padded = paddingOf.get(input(node, 0));
        if (padded != null && (padded[0] > 0 || padded[1] > 0)) {
            if (!countPadding && (padH > 0 || padW > 0)) {
                throw fail(node, "a pool that counts the padding of the Pad before it but not its own is not supported");
            }
            countPadding = true;
            padH += padded[0];
            padW += padded[1];
        }
        return new LayerOp.Pool(LayerOp.Pool.Mode.AVERAGE, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), padH, padW, countPadding);
    }

    /** Kernel, strides, symmetric pads and dilations of a 2-d window; {@code kernel} is the default for kernel_shape (a Conv's weight). */
    private Window window(NodeProto node, long[] kernel) {
        String autoPad = stringAttribute(node, "auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET")) {
            throw fail(node, "auto_pad " + autoPad + " is not supported (only NOTSET, explicit pads)");
        }
        long[] kernelShape = intsAttribute(node, "kernel_shape", kernel);
        if (kernelShape == null) {
            throw fail(node, "kernel_shape is missing");
        }
        long[] strides = intsAttribute(node, "strides", new long[]{1, 1});
        long[] dilations = intsAttribute(node, "dilations", new long[]{1, 1});
        long[] pads = intsAttribute(node, "pads", new long[]{0, 0, 0, 0});
        if (kernelShape.length != 2 || strides.length != 2 || dilations.length != 2 || pads.length != 4) {
            throw fail(node, "only 2-d windows are supported, kernel_shape is " + Arrays.toString(kernelShape));
        }
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            throw fail(node, "asymmetric pads " + Arrays.toString(pads) + " are not supported (top must equal bottom, left right)");
        }
        return new Window((int) kernelShape[0], (int) kernelShape[1], (int) strides[0], (int) strides[1], (int) pads[0],
                (int) pads[1], (int) dilations[0], (int) dilations[1]);
    }

    private LayerOp.Dense gemm(NodeProto node) {
        if (intAttribute(node, "transA", 0) != 0) {
            throw fail(node, "transA 1 is not supported (only 0)");
        }
        INDArray b = weight(node, 1);
        INDArray c = optionalWeight(node, 2);
        if (floatAttribute(node, "alpha", 1) != 1 || (c != null && floatAttribute(node, "beta", 1) != 1)) {
            throw fail(node, "alpha and beta other than 1 are not supported");
        }
        if (b.rank() != 2) {
            throw fail(node, "the weight must be a matrix, has shape " + Arrays.toString(b.shape()));
        }
        INDArray weight = intAttribute(node, "transB", 0) != 0 ? b : b.transpose().dup('c');
        return new LayerOp.Dense(weight, c == null ? null : vector(node, c, weight.size(0)));
    }

    /** x times a constant [in,out]; the Add of a constant vector that is its only reader is its bias. */
    private void matMul(NodeProto node, String graphOutput) {
        String input = layer(node, 0);
        INDArray b = weight(node, 1);
        if (b.rank() != 2) {
            throw fail(node, "only a product with a constant matrix is supported, the constant has shape " + Arrays.toString(b.shape()));
        }
        INDArray weight = b.transpose().dup('c');
        String product = node.getOutput(0);
        List<NodeProto> readers = consumers.getOrDefault(product, List.of());
        INDArray bias = null;
        if (readers.size() == 1 && !product.equals(graphOutput) && readers.get(0).getOpType().equals("Add")) {
            NodeProto sum = readers.get(0);
            List<String> others = sum.getInputList().stream().filter(t -> !t.equals(product)).toList();
            if (others.size() == 1 && constants.containsKey(others.get(0))) {
                bias = vector(sum, floats(sum, constants.get(others.get(0))), weight.size(0));
                foldedAdds.add(sum);
            }
        }
        add(node, new LayerOp.Dense(weight, bias), input);
        if (bias != null) {
            layerOf.put(readers.get(0).getOutput(0), layerName(node));
        }
    }

    private INDArray vector(NodeProto node, INDArray values, long length) {
        if (values.length() != length) {
            throw fail(node, "the bias has shape " + Arrays.toString(values.shape()) + ", expected " + length + " values");
        }
        return values.reshape(length);
    }

    /** Read as the pool's own padding, counted in the average: what PyTorch's AvgPool2d(count_include_pad=True) exports. */
    private void pad(NodeProto node) {
        List<NodeProto> readers = consumers.getOrDefault(node.getOutput(0), List.of());
        if (readers.size() != 1 || !readers.get(0).getOpType().equals("AveragePool")) {
            throw fail(node, "Pad is supported only right before an AveragePool");
        }
        String mode = stringAttribute(node, "mode", "constant");
        if (!mode.equals("constant")) {
            throw fail(node, "Pad mode " + mode + " is not supported (only constant zeros)");
        }
        if (!input(node, 2).isEmpty()) {
            INDArray value = constantFloats(node, input(node, 2));
            if (value.length() != 1 || value.getDouble(0) != 0) {
                throw fail(node, "padding with a value other than 0 is not supported");
            }
        }
        long[] pads = input(node, 1).isEmpty() ? intsAttribute(node, "pads", null) : integers(node, input(node, 1));
        if (pads == null || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0
                || pads[2] != pads[6] || pads[3] != pads[7] || pads[2] < 0 || pads[3] < 0) {
            throw fail(node, "pads " + Arrays.toString(pads) + " are not supported (only equal zero padding of height and width"
                    + " on both sides of [N,C,H,W])");
        }
        layerOf.put(node.getOutput(0), layer(node, 0));
        paddingOf.put(node.getOutput(0), new int[]{(int) pads[2], (int) pads[3]});
    }

    /** [batch, -1] and [batch, width] (batch given as the batch size, 0, -1 or a number) flatten; other shapes are refused. */
    private void reshape(NodeProto node) {
        String input = layer(node, 0);
        Integers shape = integersOrNull(input(node, 1));
        if (shape == null) {
            throw fail(node, "only a Reshape to a constant shape (or x.view(x.size(0), -1)) is supported");
        }
        long[] s = shape.values();
        boolean batchFirst = s.length == 2 && !shape.onlyBatchKnown() && (s[0] == BATCH || s[0] == 0 || s[0] == -1 || s[0] > 0);
        boolean widthSecond = s.length == 2 && (s[1] == -1 || s[1] > 0) && !(s[0] == -1 && s[1] == -1);
        if (!batchFirst || !widthSecond) {
            throw fail(node, "Reshape to " + describe(shape) + " is not supported (only a flatten to [batch, -1] or [batch, width])");
        }
        add(node, new LayerOp.Flatten(), input);
        if (s[1] > 0) {
            reshapeWidths.put(layerName(node), s[1]);
        }
    }

    private static String describe(Integers shape) {
        String values = Arrays.stream(shape.values()).mapToObj(v -> v == BATCH ? "batch" : String.valueOf(v))
                .collect(Collectors.joining(", "));
        return "[" + values + (shape.onlyBatchKnown() ? ", ..." : "") + "]";
    }

    private void gather(NodeProto node) {
        Integers data = integersOrNull(input(node, 0));
        long[] indices = input(node, 1).isEmpty() ? null : integers(node, input(node, 1));
        if (data == null || indices == null || indices.length != 1 || intAttribute(node, "axis", 0) != 0) {
            throw fail(node, "Gather is supported only for the batch size, as in x.view(x.size(0), -1)");
        }
        long index = indices[0] < 0 && !data.onlyBatchKnown() ? indices[0] + data.values().length : indices[0];
        if (index < 0 || index >= data.values().length) {
            throw fail(node, "Gather reads index " + indices[0] + " of the shape; only the batch size (index 0) is supported");
        }
        integers.put(node.getOutput(0), new Integers(new long[]{data.values()[(int) index]}, false));
    }

    private void unsqueeze(NodeProto node) {
        Integers data = integersOrNull(input(node, 0));
        long[] axes = input(node, 1).isEmpty() ? intsAttribute(node, "axes", null) : integers(node, input(node, 1));
        if (data == null || data.onlyBatchKnown() || data.values().length != 1 || axes == null || !Arrays.equals(axes, new long[]{0})) {
            throw fail(node, "Unsqueeze is supported only for the batch size, as in x.view(x.size(0), -1)");
        }
        integers.put(node.getOutput(0), data);
    }

    private void concatIntegers(NodeProto node) {
        List<Integers> parts = node.getInputList().stream().map(this::integersOrNull).toList();
        if (intAttribute(node, "axis", 0) != 0 || parts.stream().anyMatch(Integers::onlyBatchKnown)) {
            throw fail(node, "only the concatenation of shape vectors, as in x.view(x.size(0), -1), is supported for integer tensors");
        }
        long[] values = parts.stream().flatMapToLong(p -> Arrays.stream(p.values())).toArray();
        integers.put(node.getOutput(0), new Integers(values, false));
    }

    /** The integer tensor a name holds (computed from Shape, or a constant), or null for float tensors and layer outputs. */
    private Integers integersOrNull(String tensor) {
        Integers computed = integers.get(tensor);
        if (computed != null) {
            return computed;
        }
        TensorProto constant = constants.get(tensor);
        if (constant == null || (constant.getDataType() != TensorProto.DataType.INT64_VALUE
                && constant.getDataType() != TensorProto.DataType.INT32_VALUE)) {
            return null;
        }
        return new Integers(longs(constant), false);
    }

    private long[] integers(NodeProto node, String tensor) {
        Integers values = integersOrNull(tensor);
        if (values == null || values.onlyBatchKnown()) {
            throw fail(node, "'" + tensor + "' must be a constant integer tensor");
        }
        return values.values();
    }

    private TensorProto constantValue(NodeProto node) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals("value") && attribute.getType() == AttributeProto.AttributeType.TENSOR) {
                return attribute.getT();
            }
        }
        throw fail(node, "only Constants holding a tensor ('value') are supported");
    }

    private INDArray weight(NodeProto node, int index) {
        if (input(node, index).isEmpty()) {
            throw fail(node, "input " + (index + 1) + " is missing");
        }
        return constantFloats(node, input(node, index));
    }

    private INDArray optionalWeight(NodeProto node, int index) {
        return input(node, index).isEmpty() ? null : constantFloats(node, input(node, index));
    }

    private INDArray constantFloats(NodeProto node, String tensor) {
        TensorProto constant = constants.get(tensor);
        if (constant == null) {
            throw fail(node, "'" + tensor + "' must be a constant (an initializer or a Constant node)");
        }
        return floats(node, constant);
    }

    private INDArray floats(NodeProto node, TensorProto tensor) {
        long[] shape = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int count = count(tensor, shape);
        ByteString raw = tensor.getRawData();
        ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[count];
        int dataType = tensor.getDataType();
        if (dataType == TensorProto.DataType.FLOAT_VALUE) {
            checkSize(tensor, raw.isEmpty() ? tensor.getFloatDataCount() : raw.size() / Float.BYTES, count, raw.size() % Float.BYTES);
            for (int i = 0; i < count; i++) {
                values[i] = raw.isEmpty() ? tensor.getFloatData(i) : bytes.getFloat(i * Float.BYTES);
            }
        } else if (dataType == TensorProto.DataType.DOUBLE_VALUE) {
            checkSize(tensor, raw.isEmpty() ? tensor.getDoubleDataCount() : raw.size() / Double.BYTES, count, raw.size() % Double.BYTES);
            for (int i = 0; i < count; i++) {
                values[i] = (float) (raw.isEmpty() ? tensor.getDoubleData(i) : bytes.getDouble(i * Double.BYTES));
            }
        } else {
            throw fail(node, "tensor '" + tensor.getName() + "' has data type " + dataTypeName(dataType)
                    + "; only float and double are supported");
        }
        return Nd4j.create(values, shape, DataType.FLOAT);
    }

    private long[] longs(TensorProto tensor) {
        long[] shape = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int count = count(tensor, shape);
        ByteString raw = tensor.getRawData();
        ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[count];
        if (tensor.getDataType() == TensorProto.DataType.INT64_VALUE) {
            checkSize(tensor, raw.isEmpty() ? tensor.getInt64DataCount() : raw.size() / Long.BYTES, count, raw.size() % Long.BYTES);
            for (int i = 0; i < count; i++) {
                values[i] = raw.isEmpty() ? tensor.getInt64Data(i) : bytes.getLong(i * Long.BYTES);
            }
        } else {
            checkSize(tensor, raw.isEmpty() ? tensor.getInt32DataCount() : raw.size() / Integer.BYTES, count, raw.size() % Integer.BYTES);
            for (int i = 0; i < count; i++) {
                values[i] = raw.isEmpty() ? tensor.getInt32Data(i) : bytes.getInt(i * Integer.BYTES);
            }
        }
        return values;
    }

    private int count(TensorProto tensor, long[] shape) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw fail("tensor '" + tensor.getName() + "' keeps its data in an external file, which is not supported");
        }
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw fail("tensor '" + tensor.getName() + "' has unsupported shape " + Arrays.toString(shape));
        }
        return (int) count;
    }

    private void checkSize(TensorProto tensor, int stored, int expected, int strayBytes) {
        if (stored != expected || strayBytes != 0) {
            throw fail("tensor '" + tensor.getName() + "' holds " + stored + " values for shape " + tensor.getDimsList());
        }
    }

    private static String dataTypeName(int dataType) {
        TensorProto.DataType known = TensorProto.DataType.forNumber(dataType);
        return known == null ? "#" + dataType : known.name();
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
    }

    private static long intAttribute(NodeProto node, String name, long otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getI();
    }

    /**
     * The decimal the exporter wrote (0.1 for a float attribute of 0.1f), as PyTorch computes with the
     * double it was given rather than with its float rounding.
     */
    private static double floatAttribute(NodeProto node, String name, double otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : Double.parseDouble(Float.toString(a.getF()));
    }

    private static String stringAttribute(NodeProto node, String name, String otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getS().toStringUtf8();
    }

    private static long[] intsAttribute(NodeProto node, String name, long[] otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    private DataException fail(String problem) {
        return new DataException(source + ": " + problem);
    }

    private DataException fail(NodeProto node, String problem) {
        return fail("node " + layerName(node) + " (" + node.getOpType() + "): " + problem);
    }
}
