package org.xaiworkbench.model.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier as layers in forward (topological) order: each node names the nodes it reads, the
 * image being {@value #INPUT}, and the last node gives the logits. Layer names are the model's own
 * (PyTorch module names, DL4J layer names, ONNX node names). Construction checks the wiring and every
 * shape, so a graph that exists can be run.
 *
 * @param channels input channels (1 for grayscale)
 * @param height   input height
 * @param width    input width
 */
public record LayerGraph(int channels, int height, int width, List<Node> nodes) {
    public static final String INPUT = "input";

    /** One layer: its name, what it computes and the names of its inputs. */
    public record Node(String name, LayerOp op, List<String> inputs) {
        public Node {
            inputs = List.copyOf(inputs);
        }

        public Node(String name, LayerOp op, String input) {
            this(name, op, List.of(input));
        }
    }

    public LayerGraph {
        nodes = List.copyOf(nodes);
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("input must have channels, height and width >= 1, got " + channels + "x" + height + "x" + width);
        }
        SizeLimits.checkShape("the input (one image)", new long[]{channels, height, width});
        SizeLimits.checkSide("the input's height", height, 1);
        SizeLimits.checkSide("the input's width", width, 1);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a graph needs at least one layer");
        }
        shapesOf(channels, height, width, nodes);
    }

    /** A chain: each node reads the one before it, the first reads the input. */
    public static LayerGraph sequential(int channels, int height, int width, List<Map.Entry<String, LayerOp>> layers) {
        List<Node> nodes = new ArrayList<>();
        String previous = INPUT;
        for (Map.Entry<String, LayerOp> layer : layers) {
            nodes.add(new Node(layer.getKey(), layer.getValue(), previous));
            previous = layer.getKey();
        }
        return new LayerGraph(channels, height, width, nodes);
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }

    public int numClasses() {
        return (int) shapes().get(output().name())[0];
    }

    /** Each node's output shape without the batch axis: [C,H,W] for images, [F] for vectors; the input included. */
    public Map<String, long[]> shapes() {
        return shapesOf(channels, height, width, nodes);
    }

    /**
     * Where a CAM can look, in forward order: nodes whose output is an image larger than 1x1, and the
     * token grids of a vision transformer ({@link #tokenGrids}).
     */
    public List<String> spatialLayers() {
        Map<String, long[]> shapes = shapes();
        Map<String, Boolean> image = imageOutputs();
        Map<String, Integer> grids = tokenGrids();
        return nodes.stream().map(Node::name).filter(name -> {
            long[] s = shapes.get(name);
            return image.get(name) && s[1] * s[2] > 1 || grids.containsKey(name);
        }).toList();
    }

    /**
     * A vision transformer's residual stream read as an image, as pytorch-grad-cam's reshape_transform
     * does: each residual addition of two token tensors ({@link #isTokens}) whose T is s*s patches, or
     * s*s + 1 with a class token first, maps to the side s (s >= 2). A CAM sees its patch tokens as a
     * [C,s,s] grid.
     */
    public Map<String, Integer> tokenGrids() {
        Map<String, long[]> shapes = shapes();
        Map<String, Boolean> image = imageOutputs();
        Map<String, Integer> grids = new LinkedHashMap<>();
        for (Node node : nodes) {
            long[] s = shapes.get(node.name());
            boolean residual = node.op() instanceof Add && node.inputs().size() == 2
                    && node.inputs().stream().allMatch(input -> Arrays.equals(shapes.get(input), s));
            if (!residual || image.get(node.name()) || !isTokens(s)) {
                continue;
            }
            long count = s[s.length - 2];
            for (long tokens : new long[]{count, count - 1}) {
                long side = Math.round(Math.sqrt(tokens));
                if (side >= 2 && side * side == tokens) {
                    grids.put(node.name(), (int) side);
                    break;
                }
            }
        }
        return grids;
    }

    /**
     * [T,C], or [1,T,C] as exporters leave the batch axis of PyTorch's batch-first attention: tokens by
     * channels, with only axes of size 1 in front.
     */
    public static boolean isTokens(long[] shape) {
        return shape.length >= 2 && Arrays.stream(shape, 0, shape.length - 2).allMatch(side -> side == 1);
    }

    /**
     * The index of the last node that multiplies two layer outputs (attention's scores and weighted
     * values), or -1: behind it, only the class token still reaches the logits, so the patch tokens of a
     * later residual stream get no gradient and a CAM there is empty.
     */
    public int lastTokenMixing() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (nodes.get(i).op() instanceof MatMul) {
                return i;
            }
        }
        return -1;
    }

    /** The same graph with the ops of the nodes named in {@code ops} replaced. */
    public LayerGraph withOps(Map<String, LayerOp> ops) {
        return new LayerGraph(channels, height, width,
                nodes.stream().map(n -> ops.containsKey(n.name()) ? new Node(n.name(), ops.get(n.name()), n.inputs()) : n).toList());
    }

    /**
     * The part of the graph after {@code layer}, as a graph of its own whose input is that layer's image
     * output: what the rest of the network computes from the layer's activation (Ablation-CAM edits it).
     * Refused in one line if the layer's output is no image or a later node reads a node before it (a
     * skip connection across the layer).
     */
    public LayerGraph tailFrom(String layer) {
        int index = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(layer)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("'" + layer + "' is not a layer of the graph");
        }
        long[] shape = shapes().get(layer);
        if (shape.length != 3 || !imageOutputs().get(layer)) {
            throw new IllegalArgumentException("layer '" + layer + "' has no image output " + Arrays.toString(shape)
                    + " to start the rest of the network from");
        }
        if (index == nodes.size() - 1) {
            throw new IllegalArgumentException("layer '" + layer + "' is the model's output, nothing follows it");
        }
        java.util.Set<String> after = new java.util.HashSet<>();
        List<Node> tail = new ArrayList<>();
        for (Node node : nodes.subList(index + 1, nodes.size())) {
            List<String> inputs = new ArrayList<>();
            for (String input : node.inputs()) {
                if (!input.equals(layer) && !after.contains(input)) {
                    throw new IllegalArgumentException("layer '" + layer + "' does not cut the model in two: '" + node.name()
                            + "' after it reads '" + input + "' from before it");
                }
                inputs.add(input.equals(layer) ? INPUT : input);
            }
            tail.add(new Node(node.name(), node.op(), inputs));
            after.add(node.name());
        }
        return new LayerGraph((int) shape[0], (int) shape[1], (int) shape[2], tail);
    }

    /** The values all weights hold together. */
    public long parameterCount() {
        return nodes.stream().mapToLong(node -> node.op().parameterCount()).sum();
    }

    /** How many nodes read each node's output. */
    public Map<String, Integer> consumers() {
        Map<String, Integer> counts = new HashMap<>();
        for (Node node : nodes) {
            for (String input : node.inputs()) {
                counts.merge(input, 1, Integer::sum);
            }
        }
        return counts;
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown layer '" + name + "'"));
    }

    private static Map<String, long[]> shapesOf(int channels, int height, int width, List<Node> nodes) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(INPUT, new long[]{channels, height, width});
        for (Node node : nodes) {
            if (node.name() == null || node.name().isBlank() || shapes.containsKey(node.name())) {
                throw new IllegalArgumentException("layer names must be unique and not empty ('" + INPUT + "' is the image), got '"
                        + node.name() + "'");
            }
            int arity = node.op().arity();
            if (arity >= 0 ? node.inputs().size() != arity : node.inputs().size() < 2) {
                throw new IllegalArgumentException(node.name() + ": " + node.op().describe() + " takes "
                        + (arity >= 0 ? String.valueOf(arity) : "two or more") + " inputs, got " + node.inputs().size());
            }
            List<long[]> in = new ArrayList<>();
            for (String input : node.inputs()) {
                long[] s = shapes.get(input);
                if (s == null) {
                    throw new IllegalArgumentException(node.name() + ": reads '" + input + "', which is not an earlier layer");
                }
                in.add(s);
            }
            shapes.put(node.name(), outputShape(node, in));
        }
        long[] out = shapes.get(nodes.get(nodes.size() - 1).name());
        if (out.length != 1) {
            throw new IllegalArgumentException("the last layer must give a vector of logits, '" + nodes.get(nodes.size() - 1).name()
                    + "' gives " + Arrays.toString(out));
        }
        return shapes;
    }

    /**
     * The output shape of a node (without the batch axis) given its inputs' shapes; throws if they do
     * not fit the op or the output would be larger than {@link SizeLimits} allow.
     */
    public static long[] outputShape(Node node, List<long[]> in) {
        long[] out = node.op().outputShape(node.name(), in);
        SizeLimits.checkShape(node.name() + ": the output", out);
        return out;
    }

    /**
     * Which outputs are images [C,H,W], run channels-last inside the executor: the input, and every
     * rank-3 output of an op that works on images or of an element-wise op reading an image. Rank-3
     * outputs of transposes, reshapes, means over other axes and dense layers on the last axis are
     * plain tensors in PyTorch's layout ([H,W,C] in a ConvNeXt block).
     */
    public Map<String, Boolean> imageOutputs() {
        Map<String, long[]> shapes = shapes();
        Map<String, Boolean> image = new HashMap<>();
        image.put(INPUT, true);
        for (Node node : nodes) {
            long[] shape = shapes.get(node.name());
            boolean readsImage = node.inputs().stream().anyMatch(i -> image.get(i) && shapes.get(i).length == 3);
            boolean imageOutput = switch (node.op().layout(shape)) {
                case IMAGE -> true;
                case PLAIN -> false;
                case ELEMENT_WISE -> readsImage;
            };
            image.put(node.name(), shape.length == 3 && imageOutput);
        }
        return image;
    }
}
