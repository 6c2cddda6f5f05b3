package org.xaiworkbench.model.io.onnx;

import org.xaiworkbench.model.graph.Activation;
import org.xaiworkbench.model.graph.Add;
import org.xaiworkbench.model.graph.Affine;
import org.xaiworkbench.model.graph.ChannelPermute;
import org.xaiworkbench.model.graph.ChannelSlice;
import org.xaiworkbench.model.graph.Concat;
import org.xaiworkbench.model.graph.ConstantArithmetic;
import org.xaiworkbench.model.graph.ConstantConcat;
import org.xaiworkbench.model.graph.Conv;
import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.GlobalAveragePool;
import org.xaiworkbench.model.graph.Identity;
import org.xaiworkbench.model.graph.MatMul;
import org.xaiworkbench.model.graph.Mean;
import org.xaiworkbench.model.graph.Multiply;
import org.xaiworkbench.model.graph.Pool;
import org.xaiworkbench.model.graph.Reshape;
import org.xaiworkbench.model.graph.Slice;
import org.xaiworkbench.model.graph.Softmax;
import org.xaiworkbench.model.graph.Transpose;
import org.xaiworkbench.model.graph.ZeroPad;

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
import org.xaiworkbench.model.graph.SizeLimits;

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
 * <p>Beyond one node per layer, the reader folds the patterns the exporter writes: a MatMul by a
 * constant followed by the Add of a constant vector is one dense layer (torch.matmul(x, W) + b); a
 * Pad with zeros before an AveragePool is that pool's padding, counted in the average
 * (count_include_pad=True); integer arithmetic on shapes (Shape, Gather, Slice, Concat, Div, ... around
 * x.size(), view and F.pad) is computed at import from the shapes inferred so far ({@link IntTensor});
 * a Reshape to [batch, groups, C/groups, H, W], Transpose and Reshape back is one channel shuffle;
 * an Identity of a constant is that constant (the exporter writes one for shared weights).
 */
public final class OnnxImport {
    private static final List<String> LAYER_OPERATORS = List.of("Conv", "BatchNormalization", "Relu", "LeakyRelu", "Elu",
            "Sigmoid", "Tanh", "Clip", "HardSigmoid", "HardSwish", "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean",
            "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Erf", "Softmax", "Expand", "Concat", "Flatten", "Reshape", "Transpose", "Slice", "Pad",
            "Dropout", "Identity", "Constant");
    /** Operators on shapes only, folded at import: the arithmetic around x.size(), view and F.pad. */
    private static final List<String> SHAPE_OPERATORS = List.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Cast", "ConstantOfShape",
            "Equal", "Where");
    private static final String SUPPORTED = String.join(", ", LAYER_OPERATORS)
            + "; on shapes only (folded at import): " + String.join(", ", SHAPE_OPERATORS)
            + "; Transpose and Reshape keep the batch axis first";

    private static final long BATCH = IntTensor.BATCH;

    private final String source;
    private final GraphProto graph;
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, IntTensor> integers = new HashMap<>();
    /**
     * Layers whose ONNX tensor no longer has the batch as its first axis (attention's [tokens, batch,
     * features]): their shape here is the whole ONNX shape, the batch of 1 the export was traced with
     * being one of its axes, and the graph runs each image as that one.
     */
    private final java.util.Set<String> wholeShape = new java.util.HashSet<>();
    /** The export's batch axis is a fixed 1: constants in its shape arithmetic hold no other batch size. */
    private boolean batchOfOne;
    /** Each layer's output shape without the batch axis, as the graph will infer it. */
    private final Map<String, long[]> shapeOf = new HashMap<>();
    /** A layer viewed as [batch, groups, C/groups, H, W], and that view transposed: the first two steps of a channel shuffle. */
    private final Map<String, GroupedView> groupedViews = new HashMap<>();
    /** For each tensor, the layer that gives it: {@link LayerGraph#INPUT}, a node's layer, or the layer a folded node passes on. */
    private final Map<String, String> layerOf = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<NodeProto> foldedAdds = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Zero padding [padH, padW] that a Pad adds to the tensor it gives, for the AveragePool reading it. */
    private final Map<String, int[]> paddingOf = new HashMap<>();
    private final List<LayerGraph.Node> nodes = new ArrayList<>();

    private record GroupedView(String layer, int groups, boolean transposed) {
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
        shapeOf.put(LayerGraph.INPUT, new long[]{image[0], image[1], image[2]});
        TensorShapeProto.Dimension batch = input.getType().getTensorType().getShape().getDim(0);
        batchOfOne = batch.hasDimValue() && batch.getDimValue() == 1;
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
        String last = layerOf.get(output);
        if (last != null && wholeShape.contains(last) && shapeOf.get(last).length > 1) {
            long[] shape = shapeOf.get(last);
            add(last + "/per-image", new Reshape(new long[]{Arrays.stream(shape).reduce(1, (a, b) -> a * b)}), List.of(last));
            layerOf.put(output, last + "/per-image");
        }
        if (nodes.isEmpty() || !nodes.get(nodes.size() - 1).name().equals(layerOf.get(output))) {
            throw fail("the graph output '" + output + "' is not given by the last layer"
                    + (nodes.isEmpty() ? "" : " ('" + nodes.get(nodes.size() - 1).name() + "')"));
        }
        return new LayerGraph(image[0], image[1], image[2], nodes);
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
        long[] image = dims.subList(1, 4).stream().mapToLong(TensorShapeProto.Dimension::getDimValue).toArray();
        try {
            SizeLimits.checkShape("the input '" + input.getName() + "' (one image)", image);
            SizeLimits.checkSide("the input '" + input.getName() + "': height", image[1], 1);
            SizeLimits.checkSide("the input '" + input.getName() + "': width", image[2], 1);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        return Arrays.stream(image).mapToInt(Math::toIntExact).toArray();
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
            if (!standard || !(LAYER_OPERATORS.contains(type) || SHAPE_OPERATORS.contains(type))) {
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
        if (foldShapeArithmetic(node)) {
            return;
        }
        switch (node.getOpType()) {
            case "Constant" -> constants.put(node.getOutput(0), constantValue(node));
            case "Pad" -> pad(node);
            case "Concat" -> {
                long axis = intAttribute(node, "axis", 1);
                if (node.getInputCount() == 2 && constants.containsKey(input(node, 0)) && !constants.containsKey(input(node, 1))) {
                    String layer = layer(node, 1);
                    INDArray constant = constantFloats(node, input(node, 0));
                    long[] perImage = wholeShape.contains(layer) ? constant.shape()
                            : Arrays.copyOfRange(constant.shape(), 1, constant.rank());
                    add(node, new ConstantConcat(constant.reshape(perImage), axisOf(node, layer, axis)), layer);
                    markWhole(node, layer);
                    return;
                }
                if (axis != 1 && axis != -shapeOf.get(layer(node, 0)).length - 1) {
                    throw fail(node, "concatenation along axis " + axis + " is not supported (only 1, the channels)");
                }
                if (node.getInputCount() == 1) {
                    layerOf.put(node.getOutput(0), layer(node, 0));
                } else {
                    add(node, new Concat(), layers(node));
                }
            }
            case "Conv" -> conv(node);
            case "BatchNormalization" -> add(node, batchNorm(node), layer(node, 0));
            case "Relu" -> add(node, Activation.relu(), layer(node, 0));
            case "LeakyRelu" -> add(node, new Activation(Activation.Function.LEAKY_RELU,
                    floatAttribute(node, "alpha", 0.01)), layer(node, 0));
            case "Elu" -> add(node, new Activation(Activation.Function.ELU, floatAttribute(node, "alpha", 1)),
                    layer(node, 0));
            case "Sigmoid" -> add(node, new Activation(Activation.Function.SIGMOID, 0), layer(node, 0));
            case "Tanh" -> add(node, new Activation(Activation.Function.TANH, 0), layer(node, 0));
            case "Clip" -> add(node, clip(node), layer(node, 0));
            case "HardSigmoid" -> add(node, new Activation(Activation.Function.HARD_SIGMOID,
                    floatAttribute(node, "alpha", 0.2), floatAttribute(node, "beta", 0.5)), layer(node, 0));
            case "HardSwish" -> add(node, new Activation(Activation.Function.HARD_SWISH, 0), layer(node, 0));
            case "MaxPool", "AveragePool" -> add(node, pool(node), layer(node, 0));
            case "GlobalAveragePool" -> add(node, new GlobalAveragePool(), layer(node, 0));
            case "ReduceMean" -> reduceMean(node);
            case "Gemm" -> add(node, gemm(node), layer(node, 0));
            case "MatMul" -> matMul(node, graphOutput);
            case "Add", "Sub", "Mul", "Div" -> arithmetic(node);
            case "Pow" -> add(node, new Activation(Activation.Function.POWER, scalar(node, input(node, 1))), layer(node, 0));
            case "Sqrt" -> add(node, new Activation(Activation.Function.SQRT, 0), layer(node, 0));
            case "Softmax" -> {
                add(node, new Softmax(axisOf(node, layer(node, 0), intAttribute(node, "axis", -1))), layer(node, 0));
                markWhole(node, layer(node, 0));
            }
            case "Gather" -> gatherLayer(node);
            case "Expand" -> expandConstant(node);
            case "Erf" -> add(node, new Activation(Activation.Function.ERF, 0), layer(node, 0));
            case "Flatten" -> {
                if (intAttribute(node, "axis", 1) != 1) {
                    throw fail(node, "flattening from axis " + intAttribute(node, "axis", 1) + " is not supported (only 1)");
                }
                add(node, new Flatten(), layer(node, 0));
            }
            case "Reshape" -> reshape(node);
            case "Transpose" -> transpose(node);
            case "Slice" -> slice(node);
            case "Dropout" -> add(node, new Identity(), layer(node, 0));
            case "Identity" -> {
                if (constants.containsKey(input(node, 0))) {
                    constants.put(node.getOutput(0), constants.get(input(node, 0)));
                } else {
                    add(node, new Identity(), layer(node, 0));
                }
            }
            default -> throw fail(node, node.getOpType() + " is supported only on shapes (integer tensors known at import)");
        }
    }

    /**
     * Folds a node whose inputs are all integer tensors known at import (or the Shape of a layer) into
     * an integer tensor; false for a node on layers.
     */
    private boolean foldShapeArithmetic(NodeProto node) {
        String type = node.getOpType();
        if (type.equals("Shape")) {
            long[] shape = shapeOf.get(layer(node, 0));
            long[] values = new long[shape.length + 1];
            values[0] = BATCH;
            System.arraycopy(shape, 0, values, 1, shape.length);
            integers.put(node.getOutput(0), IntTensor.vector(values));
            return true;
        }
        if (type.equals("Constant") || !SHAPE_OPERATORS.contains(type)
                && !List.of("Concat", "Reshape", "Slice", "Transpose", "Add", "Sub", "Mul", "Div", "Identity", "Gather").contains(type)) {
            return false;
        }
        if (node.getInputCount() == 0 || integersOrNull(input(node, 0)) == null) {
            return false;
        }
        try {
            integers.put(node.getOutput(0), foldedValue(node, integersOrNull(input(node, 0))));
        } catch (IllegalArgumentException e) {
            throw fail(node, e.getMessage());
        }
        return true;
    }

    private IntTensor foldedValue(NodeProto node, IntTensor x) {
        return switch (node.getOpType()) {
            case "Identity" -> x;
            case "Cast" -> {
                long to = intAttribute(node, "to", 0);
                if (to != TensorProto.DataType.INT64_VALUE && to != TensorProto.DataType.INT32_VALUE) {
                    throw fail(node, "a shape cast to " + dataTypeName((int) to) + " is not supported (only to integers)");
                }
                yield x;
            }
            case "Gather" -> x.gather(integerTensor(node, 1), (int) intAttribute(node, "axis", 0));
            case "Unsqueeze" -> x.unsqueeze(input(node, 1).isEmpty() ? intsAttribute(node, "axes", new long[0]) : integers(node, input(node, 1)));
            case "Squeeze" -> x.squeeze(input(node, 1).isEmpty() ? intsAttribute(node, "axes", null) : integers(node, input(node, 1)));
            case "Concat" -> IntTensor.concat(node.getInputList().stream().map(t -> integerTensor(node, t)).toList(),
                    (int) intAttribute(node, "axis", 0));
            case "Reshape" -> x.reshape(integers(node, input(node, 1)));
            case "Transpose" -> x.transpose(intsAttribute(node, "perm", null));
            case "Slice" -> x.slice(integers(node, input(node, 1)), integers(node, input(node, 2)),
                    input(node, 3).isEmpty() ? null : integers(node, input(node, 3)), input(node, 4).isEmpty() ? null : integers(node, input(node, 4)));
            case "ConstantOfShape" -> {
                long[] dims = x.values();
                AttributeProto value = attribute(node, "value");
                long[] fill = value == null ? new long[]{0} : longs(value.getT());
                if (fill.length != 1) {
                    throw fail(node, "the value of ConstantOfShape must be one integer, has " + fill.length);
                }
                long[] values = new long[(int) IntTensor.count(dims)];
                Arrays.fill(values, fill[0]);
                yield new IntTensor(values, dims);
            }
            case "Add" -> x.combine(integerTensor(node, 1), Long::sum, "Add");
            case "Equal" -> x.combine(integerTensor(node, 1), (a, b) -> a == b ? 1 : 0, "Equal");
            case "Where" -> {
                IntTensor whenTrue = integerTensor(node, 1);
                IntTensor whenFalse = integerTensor(node, 2);
                if (whenTrue.values().length != x.values().length || whenFalse.values().length != x.values().length) {
                    throw fail(node, "Where is supported on shapes of one length");
                }
                long[] values = new long[x.values().length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = x.values()[i] != 0 ? whenTrue.values()[i] : whenFalse.values()[i];
                }
                yield new IntTensor(values, x.dims());
            }
            case "Sub" -> x.combine(integerTensor(node, 1), (a, b) -> a - b, "Sub");
            case "Mul" -> x.combine(integerTensor(node, 1), (a, b) -> a * b, "Mul");
            case "Div" -> x.combine(integerTensor(node, 1), (a, b) -> {
                if (b == 0) {
                    throw new IllegalArgumentException("division by zero in the shape arithmetic");
                }
                return a / b;
            }, "Div");
            default -> throw new IllegalStateException(node.getOpType() + " is not shape arithmetic");
        };
    }

    private IntTensor integerTensor(NodeProto node, int index) {
        return integerTensor(node, input(node, index));
    }

    private IntTensor integerTensor(NodeProto node, String tensor) {
        IntTensor value = integersOrNull(tensor);
        if (value == null) {
            throw fail(node, "'" + tensor + "' must be an integer tensor known at import (a constant or a shape)");
        }
        return value;
    }

    private void add(NodeProto node, LayerOp op, String input) {
        add(node, op, List.of(input));
    }

    private void add(NodeProto node, LayerOp op, List<String> inputs) {
        add(layerName(node), op, inputs);
        layerOf.put(node.getOutput(0), layerName(node));
        if (inputs.stream().anyMatch(wholeShape::contains) && !(op instanceof Reshape || op instanceof Transpose)) {
            wholeShape.add(layerName(node));
        }
    }

    private void markWhole(NodeProto node, String input) {
        if (wholeShape.contains(input)) {
            wholeShape.add(layerName(node));
        }
    }

    /** A layer's axis for an ONNX axis of its tensor (negative from the end); the batch axis itself is refused. */
    private int axisOf(NodeProto node, String layer, long onnxAxis) {
        boolean whole = wholeShape.contains(layer);
        int rank = shapeOf.get(layer).length + (whole ? 0 : 1);
        long a = onnxAxis < 0 ? onnxAxis + rank : onnxAxis;
        if (a < 0 || a >= rank || !whole && a == 0) {
            throw fail(node, "axis " + onnxAxis + " is " + (a == 0 ? "the batch axis" : "outside the tensor") + ", which is not supported");
        }
        return (int) (whole ? a : a - 1);
    }

    /** A layer as its whole ONNX tensor, the batch axis of 1 in front, for ops that move the batch axis (exports with batch 1 only). */
    private String whole(NodeProto node, String layer) {
        if (wholeShape.contains(layer)) {
            return layer;
        }
        if (!batchOfOne) {
            throw fail(node, "moves the batch axis, which is supported only in exports with a batch size of 1 "
                    + "(torch.onnx.export(net, torch.rand(1, C, H, W), f) without dynamic axes)");
        }
        long[] shape = shapeOf.get(layer);
        long[] withBatch = new long[shape.length + 1];
        withBatch[0] = 1;
        System.arraycopy(shape, 0, withBatch, 1, shape.length);
        String name = layer + "/with-batch-axis";
        if (!shapeOf.containsKey(name)) {
            add(name, new Reshape(withBatch), List.of(layer));
            wholeShape.add(name);
        }
        return name;
    }

    /** Adds a layer and infers its shape now, so that later nodes (Shape, ceil-mode pools, slices) can read it. */
    private void add(String name, LayerOp op, List<String> inputs) {
        LayerGraph.Node layer = new LayerGraph.Node(name, op, inputs);
        if (shapeOf.containsKey(name)) {
            throw fail("two layers are named '" + name + "'");
        }
        shapeOf.put(name, LayerGraph.outputShape(layer, inputs.stream().map(shapeOf::get).toList()));
        nodes.add(layer);
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

    /** A convolution, grouped or not; asymmetric pads become a zero-padding layer in front of it. */
    private void conv(NodeProto node) {
        INDArray weight = weight(node, 1);
        if (weight.rank() != 4) {
            throw fail(node, "only 2-d convolutions are supported, the weight has shape " + Arrays.toString(weight.shape()));
        }
        long[] pads = intsAttribute(node, "pads", new long[]{0, 0, 0, 0});
        boolean asymmetric = pads.length == 4 && (pads[0] != pads[2] || pads[1] != pads[3]);
        Window w = window(node, new long[]{weight.size(2), weight.size(3)}, asymmetric);
        if (w.kernelH() != weight.size(2) || w.kernelW() != weight.size(3)) {
            throw fail(node, "kernel_shape " + w.kernelH() + "x" + w.kernelW() + " does not match the weight's "
                    + Arrays.toString(weight.shape()));
        }
        long groups = intAttribute(node, "group", 1);
        if (groups < 1 || groups > weight.size(0) || weight.size(0) % groups != 0) {
            throw fail(node, "group " + groups + " does not divide the " + weight.size(0) + " output channels");
        }
        INDArray bias = optionalWeight(node, 2);
        String input = layer(node, 0);
        if (asymmetric) {
            String padding = layerName(node) + "/pad";
            add(padding, new ZeroPad((int) pads[0], (int) pads[2], (int) pads[1], (int) pads[3]), List.of(input));
            input = padding;
        }
        add(node, new Conv(weight, bias == null ? null : bias.reshape(bias.length()), w.strideH(), w.strideW(),
                asymmetric ? 0 : w.padH(), asymmetric ? 0 : w.padW(), w.dilationH(), w.dilationW(), (int) groups), input);
    }

    /** Clip's bounds are inputs from opset 11 on, attributes before; min 0 without a max is a ReLU. */
    private Activation clip(NodeProto node) {
        double min = input(node, 1).isEmpty() ? floatAttribute(node, "min", Double.NEGATIVE_INFINITY) : scalar(node, input(node, 1));
        double max = input(node, 2).isEmpty() ? floatAttribute(node, "max", Double.POSITIVE_INFINITY) : scalar(node, input(node, 2));
        if (min == 0 && max == Double.POSITIVE_INFINITY) {
            return Activation.relu();
        }
        if (!(min < max)) {
            throw fail(node, "clip to [" + min + ", " + max + "] is empty");
        }
        return new Activation(Activation.Function.CLIP, Math.max(min, -Float.MAX_VALUE), Math.min(max, Float.MAX_VALUE));
    }

    private double scalar(NodeProto node, String tensor) {
        INDArray value = constantFloats(node, tensor);
        if (value.length() != 1) {
            throw fail(node, "'" + tensor + "' must be a single number, has shape " + Arrays.toString(value.shape()));
        }
        return Double.parseDouble(Float.toString(value.getFloat(0)));
    }

    private Affine batchNorm(NodeProto node) {
        if (intAttribute(node, "training_mode", 0) != 0 || node.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            throw fail(node, "batch normalisation in training mode is not supported; export the model in eval mode");
        }
        return Affine.batchNorm(weight(node, 1), weight(node, 2), weight(node, 3), weight(node, 4),
                floatAttribute(node, "epsilon", 1e-5));
    }

    private Pool pool(NodeProto node) {
        Window w = window(node, null, false);
        if (w.dilationH() != 1 || w.dilationW() != 1) {
            throw fail(node, "dilated pooling is not supported");
        }
        boolean ceilMode = intAttribute(node, "ceil_mode", 0) != 0;
        if (node.getOpType().equals("MaxPool")) {
            return new Pool(Pool.Mode.MAX, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padH(), w.padW(), false,
                    ceilMode);
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
        Pool floor = new Pool(Pool.Mode.AVERAGE, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), padH, padW,
                countPadding);
        if (ceilMode && !Arrays.equals(shapeOf(floor, node), shapeOf(new Pool(Pool.Mode.MAX, w.kernelH(), w.kernelW(),
                w.strideH(), w.strideW(), padH, padW, false, true), node))) {
            throw fail(node, "ceil_mode 1 is supported for average pooling only where it adds no window");
        }
        return floor;
    }

    private long[] shapeOf(LayerOp op, NodeProto node) {
        String input = layer(node, 0);
        return LayerGraph.outputShape(new LayerGraph.Node(layerName(node), op, input), List.of(shapeOf.get(input)));
    }

    /**
     * Kernel, strides, pads and dilations of a 2-d window; {@code kernel} is the default for kernel_shape
     * (a Conv's weight). Pads must be symmetric unless the caller pads separately.
     */
    private Window window(NodeProto node, long[] kernel, boolean asymmetricPadsAllowed) {
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
        checkSides(node, "kernel_shape", kernelShape, 1);
        checkSides(node, "strides", strides, 1);
        checkSides(node, "dilations", dilations, 1);
        checkSides(node, "pads", pads, 0);
        if (!asymmetricPadsAllowed && (pads[0] != pads[2] || pads[1] != pads[3])) {
            throw fail(node, "asymmetric pads " + Arrays.toString(pads) + " are not supported (top must equal bottom, left right)");
        }
        return new Window((int) kernelShape[0], (int) kernelShape[1], (int) strides[0], (int) strides[1], (int) pads[0],
                (int) pads[1], (int) dilations[0], (int) dilations[1]);
    }

    /** Values of a window attribute or of a Pad, checked before they size anything. */
    private void checkSides(NodeProto node, String attribute, long[] values, long minimum) {
        for (long value : values) {
            try {
                SizeLimits.checkSide(attribute + " " + Arrays.toString(values) + ":", value, minimum);
            } catch (IllegalArgumentException e) {
                throw fail(node, e.getMessage());
            }
        }
    }

    private Dense gemm(NodeProto node) {
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
        return new Dense(weight, c == null ? null : vector(node, c, weight.size(0)));
    }

    /** x times a constant [in,out]; the Add of a constant vector that is its only reader is its bias. */
    private void matMul(NodeProto node, String graphOutput) {
        String input = layer(node, 0);
        if (!constants.containsKey(input(node, 1))) {
            String second = layer(node, 1);
            if (wholeShape.contains(input) != wholeShape.contains(second)) {
                throw fail(node, "a product of two layers whose batch axes differ is not supported");
            }
            add(node, new MatMul(), List.of(input, second));
            return;
        }
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
        add(node, new Dense(weight, bias), input);
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

    /**
     * Zero padding of height and width. Right before an AveragePool it is read as the pool's own
     * padding, counted in the average (what PyTorch's AvgPool2d(count_include_pad=True) exports);
     * elsewhere it is a padding layer.
     */
    private void pad(NodeProto node) {
        String mode = stringAttribute(node, "mode", "constant");
        if (!mode.equals("constant")) {
            throw fail(node, "Pad mode " + mode + " is not supported (only constant zeros)");
        }
        if (!input(node, 2).isEmpty() && scalar(node, input(node, 2)) != 0) {
            throw fail(node, "padding with a value other than 0 is not supported");
        }
        long[] pads = input(node, 1).isEmpty() ? intsAttribute(node, "pads", null) : integers(node, input(node, 1));
        if (pads == null || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0
                || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw fail(node, "pads " + Arrays.toString(pads) + " are not supported (only zero padding of height and width of [N,C,H,W])");
        }
        checkSides(node, "pads", pads, 0);
        List<NodeProto> readers = consumers.getOrDefault(node.getOutput(0), List.of());
        boolean symmetric = pads[2] == pads[6] && pads[3] == pads[7];
        if (symmetric && readers.size() == 1 && readers.get(0).getOpType().equals("AveragePool")) {
            layerOf.put(node.getOutput(0), layer(node, 0));
            paddingOf.put(node.getOutput(0), new int[]{(int) pads[2], (int) pads[3]});
            return;
        }
        add(node, new ZeroPad((int) pads[2], (int) pads[6], (int) pads[3], (int) pads[7]), layer(node, 0));
    }

    /**
     * A flatten ([batch, -1] or [batch, width]), a view to the same shape, or the first step of a
     * channel shuffle: an image viewed as [batch, groups, C/groups, H, W], transposed, viewed back.
     */
    private void reshape(NodeProto node) {
        String input = input(node, 0);
        IntTensor target = integersOrNull(input(node, 1));
        if (target == null) {
            throw fail(node, "only a Reshape to a shape known at import is supported");
        }
        long[] s = target.values();
        GroupedView view = groupedViews.get(input);
        if (view != null) {
            long[] image = shapeOf.get(view.layer());
            long[] wanted = s.clone();
            wanted[0] = wanted[0] == BATCH || wanted[0] == 0 ? 1 : wanted[0];
            long[] resolved = resolveOrNull(wanted, new long[]{1, view.groups(), image[0] / view.groups(), image[1], image[2]});
            if (!view.transposed() || resolved == null || wanted[0] != 1 && wanted[0] != -1
                    || !Arrays.equals(Arrays.copyOfRange(resolved, 1, resolved.length), image)) {
                throw fail(node, "a grouped view of '" + view.layer() + "' is supported only as a channel shuffle back to "
                        + Arrays.toString(image));
            }
            add(node, new ChannelPermute(shuffle((int) image[0], view.groups())), view.layer());
            return;
        }
        String layer = layer(node, 0);
        long[] shape = shapeOf.get(layer);
        boolean batchFirst = s.length >= 2 && (s[0] == BATCH || s[0] == 0 || s[0] == -1 || s[0] == 1);
        long[] rest = batchFirst ? resolveOrNull(Arrays.copyOfRange(s, 1, s.length), shape) : null;
        if (wholeShape.contains(layer) || rest == null && batchOfOne && Arrays.stream(s).noneMatch(v -> v == BATCH)) {
            String source = whole(node, layer);
            long[] from = shapeOf.get(source);
            long[] to;
            try {
                to = IntTensor.resolve(s, from, Arrays.stream(from).reduce(1, (a, b) -> a * b));
            } catch (IllegalArgumentException e) {
                throw fail(node, "Reshape of " + Arrays.toString(from) + " to " + target + ": " + e.getMessage());
            }
            add(node, new Reshape(to), source);
            wholeShape.add(layerName(node));
            return;
        }
        if (rest == null) {
            throw fail(node, "Reshape of " + Arrays.toString(shape) + " to " + target + " is not supported (only a flatten to"
                    + " [batch, -1], a view to the same shape, or a channel shuffle)");
        }
        if (Arrays.equals(rest, shape)) {
            layerOf.put(node.getOutput(0), layer);
        } else if (rest.length == 1) {
            add(node, new Flatten(), layer);
        } else if (rest.length == 4 && shape.length == 3 && rest[0] * rest[1] == shape[0] && rest[2] == shape[1] && rest[3] == shape[2]) {
            groupedViews.put(node.getOutput(0), new GroupedView(layer, (int) rest[0], false));
        } else {
            add(node, new Reshape(rest), layer);
        }
    }

    private static long[] resolveOrNull(long[] target, long[] shape) {
        try {
            return IntTensor.resolve(target, new long[0], Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Output channel b*groups + a is input channel a*(C/groups) + b. */
    private static int[] shuffle(int channels, int groups) {
        int perGroup = channels / groups;
        int[] order = new int[channels];
        for (int a = 0; a < groups; a++) {
            for (int b = 0; b < perGroup; b++) {
                order[b * groups + a] = a * perGroup + b;
            }
        }
        return order;
    }

    /** The middle of a channel shuffle (groups and channels per group swapped), or any transpose that keeps the batch axis first. */
    private void transpose(NodeProto node) {
        GroupedView view = groupedViews.get(input(node, 0));
        long[] perm = intsAttribute(node, "perm", null);
        if (view != null) {
            if (view.transposed() || !Arrays.equals(perm, new long[]{0, 2, 1, 3, 4})) {
                throw fail(node, "a grouped view is supported only in a channel shuffle (transposed with perm [0, 2, 1, 3, 4])");
            }
            groupedViews.put(node.getOutput(0), new GroupedView(view.layer(), view.groups(), true));
            return;
        }
        String layer = layer(node, 0);
        int rank = shapeOf.get(layer).length;
        if (perm == null) {
            throw fail(node, "a Transpose without perm reverses the batch axis too, which is not supported");
        }
        if (wholeShape.contains(layer) || perm.length == rank + 1 && perm[0] != 0) {
            String source = whole(node, layer);
            if (perm.length != shapeOf.get(source).length) {
                throw fail(node, "Transpose with perm " + Arrays.toString(perm) + " of a tensor of rank " + shapeOf.get(source).length);
            }
            add(node, new Transpose(Arrays.stream(perm).mapToInt(a -> (int) a).toArray()), source);
            wholeShape.add(layerName(node));
            return;
        }
        if (perm.length != rank + 1) {
            throw fail(node, "Transpose with perm " + Arrays.toString(perm) + " of a tensor of rank " + (rank + 1));
        }
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = (int) perm[i + 1] - 1;
        }
        add(node, new Transpose(order), layer);
    }

    /**
     * Add, Sub, Mul and Div of two layers (broadcast) or of a layer and a constant. A difference of two
     * layers is a sum with the negated second, a quotient a product with the reciprocal: ops with
     * DeepLIFT rules of their own.
     */
    private void arithmetic(NodeProto node) {
        String type = node.getOpType();
        boolean firstConstant = constants.containsKey(input(node, 0));
        boolean secondConstant = constants.containsKey(input(node, 1));
        if (firstConstant && secondConstant) {
            throw fail(node, type + " of two constants is not supported");
        }
        if (firstConstant || secondConstant) {
            INDArray constant = constantFloats(node, input(node, firstConstant ? 0 : 1));
            String layer = layer(node, firstConstant ? 1 : 0);
            ConstantArithmetic.Operation operation = switch (type) {
                case "Add" -> ConstantArithmetic.Operation.ADD;
                case "Sub" -> ConstantArithmetic.Operation.SUBTRACT;
                case "Mul" -> ConstantArithmetic.Operation.MULTIPLY;
                default -> ConstantArithmetic.Operation.DIVIDE;
            };
            if (firstConstant && type.equals("Div")) {
                throw fail(node, "dividing a constant by a layer is not supported");
            }
            add(node, new ConstantArithmetic(operation, constant, firstConstant && type.equals("Sub")), layer);
            return;
        }
        List<String> operands = layers(node);
        switch (type) {
            case "Add" -> add(node, new Add(), operands);
            case "Mul" -> add(node, new Multiply(), operands);
            case "Sub" -> {
                String negated = layerName(node) + "/negated";
                add(negated, new ConstantArithmetic(ConstantArithmetic.Operation.MULTIPLY, Nd4j.scalar(-1f), false),
                        List.of(operands.get(1)));
                add(node, new Add(), List.of(operands.get(0), negated));
            }
            default -> {
                String reciprocal = layerName(node) + "/reciprocal";
                add(reciprocal, new Activation(Activation.Function.RECIPROCAL, 0), List.of(operands.get(1)));
                add(node, new Multiply(), List.of(operands.get(0), reciprocal));
            }
        }
    }

    /** Slices of channels (axis 1) with step 1, as x.chunk(2, dim=1) exports. */
    private void slice(NodeProto node) {
        String layer = layer(node, 0);
        long[] shape = shapeOf.get(layer);
        long[] starts = integers(node, input(node, 1));
        long[] ends = integers(node, input(node, 2));
        long[] axes = input(node, 3).isEmpty() ? null : integers(node, input(node, 3));
        long[] steps = input(node, 4).isEmpty() ? null : integers(node, input(node, 4));
        if (starts.length != 1 || ends.length != 1 || axes != null && axes.length != 1 || steps != null && (steps.length != 1 || steps[0] != 1)) {
            throw fail(node, "Slice is supported along one axis with step 1");
        }
        int axis = axisOf(node, layer, axes == null ? 0 : axes[0]);
        long n = shape[axis];
        long from = Math.max(0, Math.min(n, starts[0] < 0 ? starts[0] + n : starts[0]));
        long to = Math.max(0, Math.min(n, ends[0] < 0 ? ends[0] + n : ends[0]));
        if (to <= from) {
            throw fail(node, "the slice " + starts[0] + ".." + ends[0] + " of " + n + " is empty");
        }
        boolean image = shape.length == 3 && axis == 0 && !wholeShape.contains(layer);
        add(node, image ? new ChannelSlice((int) from, (int) to) : new Slice(axis, (int) from, (int) to), layer);
    }

    /** x[:, i] and the like: one index of one axis, that axis dropped (a slice and a reshape). */
    private void gatherLayer(NodeProto node) {
        String layer = layer(node, 0);
        IntTensor indices = integerTensor(node, 1);
        if (indices.values().length != 1) {
            throw fail(node, "Gather of a layer is supported with one index only");
        }
        int axis = axisOf(node, layer, intAttribute(node, "axis", 0));
        long n = shapeOf.get(layer)[axis];
        long index = indices.values()[0] < 0 ? indices.values()[0] + n : indices.values()[0];
        if (index < 0 || index >= n) {
            throw fail(node, "index " + indices.values()[0] + " is outside an axis of " + n);
        }
        String sliced = layerName(node) + "/slice";
        add(sliced, new Slice(axis, (int) index, (int) index + 1), List.of(layer));
        if (wholeShape.contains(layer)) {
            wholeShape.add(sliced);
        }
        long[] shape = shapeOf.get(sliced);
        long[] kept = indices.rank() == 0 ? java.util.stream.LongStream.range(0, shape.length).filter(i -> i != axis).map(i -> shape[(int) i]).toArray()
                : shape;
        add(node, new Reshape(kept), sliced);
        markWhole(node, sliced);
    }

    /** A constant expanded over the batch (a class token): per image it is the constant itself. */
    private void expandConstant(NodeProto node) {
        if (!constants.containsKey(input(node, 0))) {
            throw fail(node, "Expand is supported only of a constant over the batch");
        }
        long[] target = integers(node, input(node, 1));
        long[] shape = constantFloats(node, input(node, 0)).shape();
        for (int i = 1; i < target.length; i++) {
            long have = i - target.length + shape.length < 0 ? 1 : shape[i - target.length + shape.length];
            if (target[i] != 1 && target[i] != -1 && target[i] != have) {
                throw fail(node, "Expand to " + Arrays.toString(target) + " of a constant of shape " + Arrays.toString(shape)
                        + " is supported only over the batch axis");
            }
        }
        constants.put(node.getOutput(0), constants.get(input(node, 0)));
    }

    /** The mean over some axes: over an image's height and width a global average pool, flattened where the axes are not kept. */
    private void reduceMean(NodeProto node) {
        String layer = layer(node, 0);
        long[] shape = shapeOf.get(layer);
        long[] axes = input(node, 1).isEmpty() ? intsAttribute(node, "axes", null) : integers(node, input(node, 1));
        if (axes == null) {
            throw fail(node, "ReduceMean over all axes, the batch's included, is not supported");
        }
        long[] normalized = Arrays.stream(axes).map(a -> axisOf(node, layer, a) + 1).sorted().toArray();
        if (wholeShape.contains(layer) || shape.length != 3 || !Arrays.equals(normalized, new long[]{2, 3})) {
            add(node, new Mean(Arrays.stream(normalized).mapToInt(a -> (int) a - 1).toArray(),
                    intAttribute(node, "keepdims", 1) != 0), layer);
            return;
        }
        if (intAttribute(node, "keepdims", 1) != 0) {
            add(node, new GlobalAveragePool(), layer);
            return;
        }
        String pooled = layerName(node) + "/mean";
        add(pooled, new GlobalAveragePool(), List.of(layer));
        add(node, new Flatten(), pooled);
    }

    /** The integer tensor a name holds (folded shape arithmetic, or a constant), or null for float tensors and layer outputs. */
    private IntTensor integersOrNull(String tensor) {
        IntTensor computed = integers.get(tensor);
        if (computed != null) {
            return computed;
        }
        TensorProto constant = constants.get(tensor);
        if (constant == null || (constant.getDataType() != TensorProto.DataType.INT64_VALUE
                && constant.getDataType() != TensorProto.DataType.INT32_VALUE)) {
            return null;
        }
        return new IntTensor(longs(constant), constant.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }

    private long[] integers(NodeProto node, String tensor) {
        return integerTensor(node, tensor).values();
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
        float[] values;
        int dataType = tensor.getDataType();
        if (dataType == TensorProto.DataType.FLOAT_VALUE) {
            checkSize(tensor, raw.isEmpty() ? tensor.getFloatDataCount() : raw.size() / Float.BYTES, count, raw.size() % Float.BYTES);
            values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = raw.isEmpty() ? tensor.getFloatData(i) : bytes.getFloat(i * Float.BYTES);
            }
        } else if (dataType == TensorProto.DataType.DOUBLE_VALUE) {
            checkSize(tensor, raw.isEmpty() ? tensor.getDoubleDataCount() : raw.size() / Double.BYTES, count, raw.size() % Double.BYTES);
            values = new float[count];
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
        long[] values;
        if (tensor.getDataType() == TensorProto.DataType.INT64_VALUE) {
            checkSize(tensor, raw.isEmpty() ? tensor.getInt64DataCount() : raw.size() / Long.BYTES, count, raw.size() % Long.BYTES);
            values = new long[count];
            for (int i = 0; i < count; i++) {
                values[i] = raw.isEmpty() ? tensor.getInt64Data(i) : bytes.getLong(i * Long.BYTES);
            }
        } else {
            checkSize(tensor, raw.isEmpty() ? tensor.getInt32DataCount() : raw.size() / Integer.BYTES, count, raw.size() % Integer.BYTES);
            values = new long[count];
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
        long count = 1;
        for (long side : shape) {
            if (side < 0 || side > 0 && count > Integer.MAX_VALUE / side) {
                throw fail("tensor '" + tensor.getName() + "' has unsupported shape " + Arrays.toString(shape));
            }
            count *= side;
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
