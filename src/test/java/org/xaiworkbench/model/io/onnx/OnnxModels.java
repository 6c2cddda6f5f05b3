package org.xaiworkbench.model.io.onnx;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ONNX models built in tests, hostile ones included: the pieces of a graph and the file they are written to. */
final class OnnxModels {
    private OnnxModels() {
    }

    static Path write(Path dir, GraphProto graph) throws Exception {
        Path file = Files.createTempFile(dir, "built", ".onnx");
        Files.write(file, ModelProto.newBuilder().setIrVersion(7).setProducerName("OnnxModels").setGraph(graph)
                .build().toByteArray());
        return file;
    }

    /**
     * {@code count} element-wise nodes of type {@code op} in a chain on a 3x4x4 image, flattened into a
     * dense layer of two logits: a graph as long as one likes with almost no weights.
     */
    static GraphProto chain(int count, String op) {
        List<NodeProto> nodes = new ArrayList<>();
        String previous = "input";
        for (int i = 0; i < count; i++) {
            nodes.add(node(op, "n" + i, List.of(previous), "t" + i));
            previous = "t" + i;
        }
        nodes.add(node("Flatten", "flatten", List.of(previous), "flat"));
        nodes.add(node("Gemm", "fc", List.of("flat", "w"), "logits", intAttribute("transB", 1)));
        return graph(nodes, image("input", "batch", 3, 4, 4), floats("w", new long[]{2, 48}, new float[96])).build();
    }

    static GraphProto.Builder graph(List<NodeProto> nodes, ValueInfoProto input, TensorProto... initializers) {
        return GraphProto.newBuilder().setName("built").addAllNode(nodes).addInput(input)
                .addOutput(ValueInfoProto.newBuilder().setName("logits")).addAllInitializer(List.of(initializers));
    }

    static NodeProto node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build();
    }

    /** A float image input; each dimension a number or a symbolic name. */
    static ValueInfoProto image(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            shape.addDim(dim instanceof Number n ? TensorShapeProto.Dimension.newBuilder().setDimValue(n.longValue())
                    : TensorShapeProto.Dimension.newBuilder().setDimParam((String) dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    /** Stored as raw little-endian bytes, as PyTorch writes initializers. */
    static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).addAllDims(Arrays.stream(dims).boxed().toList())
                .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
