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
            boolean residual = node.op() instanceof LayerOp.Add && node.inputs().size() == 2
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
            if (nodes.get(i).op() instanceof LayerOp.MatMul) {
                return i;
            }
        }
        return -1;
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
                throw new IllegalArgumentException(node.name() + ": " + LayerOp.describe(node.op()) + " takes "
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
        long[] out = inferredShape(node, in);
        SizeLimits.checkShape(node.name() + ": the output", out);
        return out;
    }

    private static long[] inferredShape(Node node, List<long[]> in) {
        long[] x = in.get(0);
        LayerOp op = node.op();
        if (op instanceof LayerOp.Conv c) {
            image(node, x);
            if (c.inputChannels() != x[0]) {
                throw new IllegalArgumentException(node.name() + ": convolution expects " + c.inputChannels() + " channels, gets " + x[0]);
            }
            // a dilated kernel runs as the undilated one with zeros between its taps
            SizeLimits.checkShape(node.name() + ": the dilated kernel", new long[]{c.weight().size(0), c.weight().size(1),
                    (long) c.dilationH() * (c.kernelH() - 1) + 1, (long) c.dilationW() * (c.kernelW() - 1) + 1});
            return new long[]{c.weight().size(0),
                    window(node, x[1], c.kernelH(), c.strideH(), c.padH(), c.dilationH()),
                    window(node, x[2], c.kernelW(), c.strideW(), c.padW(), c.dilationW())};
        }
        if (op instanceof LayerOp.Pool p) {
            image(node, x);
            if (p.ceilMode()) {
                return new long[]{x[0], ceilWindow(node, x[1], p.kernelH(), p.strideH(), p.padH()),
                        ceilWindow(node, x[2], p.kernelW(), p.strideW(), p.padW())};
            }
            return new long[]{x[0], window(node, x[1], p.kernelH(), p.strideH(), p.padH(), 1),
                    window(node, x[2], p.kernelW(), p.strideW(), p.padW(), 1)};
        }
        if (op instanceof LayerOp.Multiply) {
            return broadcast(node, x, in.get(1));
        }
        if (op instanceof LayerOp.ZeroPad p) {
            image(node, x);
            return new long[]{x[0], x[1] + p.top() + p.bottom(), x[2] + p.left() + p.right()};
        }
        if (op instanceof LayerOp.ChannelPermute p) {
            if (p.order().length != x[0]) {
                throw new IllegalArgumentException(node.name() + ": a channel order of " + p.order().length + " for " + x[0] + " channels");
            }
            return x;
        }
        if (op instanceof LayerOp.ChannelSlice s) {
            if (s.to() > x[0]) {
                throw new IllegalArgumentException(node.name() + ": channels " + s.from() + ".." + s.to() + " of " + x[0]);
            }
            long[] out = x.clone();
            out[0] = s.to() - s.from();
            return out;
        }
        if (op instanceof LayerOp.Dense d) {
            if (x[x.length - 1] != d.weight().size(1)) {
                throw new IllegalArgumentException(node.name() + ": dense expects " + d.weight().size(1) + " inputs, gets "
                        + Arrays.toString(x) + (x.length == 3 ? " (flatten it first)" : ""));
            }
            long[] out = x.clone();
            out[x.length - 1] = d.weight().size(0);
            return out;
        }
        if (op instanceof LayerOp.ConstantArithmetic a) {
            long[] c = withoutBatch(a.constant().shape());
            long[] out = broadcast(node, x, c);
            if (!Arrays.equals(out, x)) {
                throw new IllegalArgumentException(node.name() + ": a constant of shape " + Arrays.toString(a.constant().shape())
                        + " would change the layer's shape " + Arrays.toString(x));
            }
            return x;
        }
        if (op instanceof LayerOp.Transpose t) {
            if (t.order().length != x.length) {
                throw new IllegalArgumentException(node.name() + ": a transpose of " + t.order().length + " axes for " + Arrays.toString(x));
            }
            long[] out = new long[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = x[t.order()[i]];
            }
            return out;
        }
        if (op instanceof LayerOp.Reshape r) {
            if (SizeLimits.values(r.shape()) != SizeLimits.values(x)) {
                throw new IllegalArgumentException(node.name() + ": reshape of " + Arrays.toString(x) + " to " + Arrays.toString(r.shape()));
            }
            return r.shape();
        }
        if (op instanceof LayerOp.Slice sl) {
            if (sl.axis() >= x.length || sl.to() > x[sl.axis()]) {
                throw new IllegalArgumentException(node.name() + ": a slice " + sl.from() + ".." + sl.to() + " of axis " + sl.axis() + " of "
                        + Arrays.toString(x));
            }
            long[] out = x.clone();
            out[sl.axis()] = sl.to() - sl.from();
            return out;
        }
        if (op instanceof LayerOp.MatMul) {
            long[] y = in.get(1);
            if (x.length < 2 || y.length < 2 || x[x.length - 1] != y[y.length - 2]) {
                throw new IllegalArgumentException(node.name() + ": a matrix product of " + Arrays.toString(x) + " and " + Arrays.toString(y));
            }
            long[] batch = Arrays.copyOf(x, x.length - 2);
            if (!Arrays.equals(batch, Arrays.copyOf(y, y.length - 2))) {
                throw new IllegalArgumentException(node.name() + ": a matrix product needs equal leading axes, gets " + Arrays.toString(x)
                        + " and " + Arrays.toString(y));
            }
            long[] out = Arrays.copyOf(batch, batch.length + 2);
            out[batch.length] = x[x.length - 2];
            out[batch.length + 1] = y[y.length - 1];
            return out;
        }
        if (op instanceof LayerOp.Softmax sm) {
            if (sm.axis() < 0 || sm.axis() >= x.length) {
                throw new IllegalArgumentException(node.name() + ": softmax along axis " + sm.axis() + " of " + Arrays.toString(x));
            }
            return x;
        }
        if (op instanceof LayerOp.ConstantConcat cc) {
            long[] c = cc.constant().shape();
            long[] out = x.clone();
            if (c.length != x.length || cc.axis() >= x.length) {
                throw new IllegalArgumentException(node.name() + ": a constant of shape " + Arrays.toString(c) + " before " + Arrays.toString(x));
            }
            for (int i = 0; i < x.length; i++) {
                if (i != cc.axis() && c[i] != x[i]) {
                    throw new IllegalArgumentException(node.name() + ": a constant of shape " + Arrays.toString(c) + " before " + Arrays.toString(x));
                }
            }
            out[cc.axis()] += c[cc.axis()];
            return out;
        }
        if (op instanceof LayerOp.Mean m) {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                final int axis = i;
                boolean reduced = Arrays.stream(m.axes()).anyMatch(a -> a == axis);
                if (!reduced || m.keepDimensions()) {
                    out.add(reduced ? 1L : x[i]);
                }
            }
            if (Arrays.stream(m.axes()).anyMatch(a -> a >= x.length) || out.isEmpty()) {
                throw new IllegalArgumentException(node.name() + ": a mean over axes " + Arrays.toString(m.axes()) + " of " + Arrays.toString(x));
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
        if (op instanceof LayerOp.Affine a) {
            if (x[0] != a.scale().length()) {
                throw new IllegalArgumentException(node.name() + ": affine has " + a.scale().length() + " channels, gets " + x[0]);
            }
            return x;
        }
        if (op instanceof LayerOp.GlobalAveragePool) {
            image(node, x);
            return new long[]{x[0], 1, 1};
        }
        if (op instanceof LayerOp.Flatten) {
            return new long[]{Arrays.stream(x).reduce(1, (a, b) -> a * b)};
        }
        if (op instanceof LayerOp.Add) {
            long[] out = x;
            for (long[] other : in) {
                out = broadcast(node, out, other);
            }
            return out;
        }
        if (op instanceof LayerOp.Concat) {
            long total = 0;
            for (long[] other : in) {
                if (other.length != x.length || !Arrays.equals(Arrays.copyOfRange(other, 1, other.length), Arrays.copyOfRange(x, 1, x.length))) {
                    throw new IllegalArgumentException(node.name() + ": concat needs inputs that differ only in channels, gets "
                            + Arrays.toString(x) + " and " + Arrays.toString(other));
                }
                total += other[0];
            }
            long[] out = x.clone();
            out[0] = total;
            return out;
        }
        return x;
    }

    /** numpy's broadcast of two shapes, aligned at their last axes. */
    public static long[] broadcast(Node node, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i - rank + a.length < 0 ? 1 : a[i - rank + a.length];
            long db = i - rank + b.length < 0 ? 1 : b[i - rank + b.length];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(node.name() + ": " + LayerOp.describe(node.op()) + " cannot broadcast "
                        + Arrays.toString(a) + " and " + Arrays.toString(b));
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** A constant's shape with the leading 1s that stand for the batch axis (or nothing) dropped. */
    public static long[] withoutBatch(long[] shape) {
        int first = 0;
        while (first < shape.length - 1 && shape[first] == 1) {
            first++;
        }
        return Arrays.copyOfRange(shape, first, shape.length);
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
            LayerOp op = node.op();
            boolean rank3 = shapes.get(node.name()).length == 3;
            boolean plainOp = op instanceof LayerOp.Transpose || op instanceof LayerOp.Reshape || op instanceof LayerOp.Dense
                    || op instanceof LayerOp.Slice || op instanceof LayerOp.MatMul || op instanceof LayerOp.Softmax || op instanceof LayerOp.ConstantConcat
                    || op instanceof LayerOp.Mean m && !(Arrays.equals(m.axes(), new int[]{1, 2}) && m.keepDimensions());
            boolean imageOp = op instanceof LayerOp.Conv || op instanceof LayerOp.Pool || op instanceof LayerOp.GlobalAveragePool
                    || op instanceof LayerOp.ZeroPad || op instanceof LayerOp.ChannelPermute || op instanceof LayerOp.Mean;
            boolean readsImage = node.inputs().stream().anyMatch(i -> image.get(i) && shapes.get(i).length == 3);
            image.put(node.name(), rank3 && !plainOp && (imageOp || readsImage));
        }
        return image;
    }

    /**
     * PyTorch's ceil_mode: the last window may run past the input's end but must start inside the
     * input or its left padding.
     */
    private static long ceilWindow(Node node, long size, int kernel, int stride, int pad) {
        long floor = window(node, size, kernel, stride, pad, 1);
        long out = Math.floorDiv(size + 2L * pad - kernel + stride - 1, stride) + 1;
        if ((out - 1) * stride >= size + pad) {
            out--;
        }
        return Math.max(out, floor);
    }

    /** Rows (or columns) a ceil-mode window adds past the input and its padding: the bottom (or right) overhang. */
    public static int ceilOverhang(long size, int kernel, int stride, int pad, long outputs) {
        return (int) Math.max(0, (outputs - 1) * stride + kernel - (size + 2L * pad));
    }

    private static void image(Node node, long[] x) {
        if (x.length != 3) {
            throw new IllegalArgumentException(node.name() + ": " + LayerOp.describe(node.op()) + " needs an image input, gets "
                    + Arrays.toString(x));
        }
    }

    private static long window(Node node, long size, int kernel, int stride, int pad, int dilation) {
        long extent = (long) dilation * (kernel - 1) + 1;
        long out = (size + 2L * pad - extent) / stride + 1;
        if (size + 2L * pad < extent || out < 1) {
            throw new IllegalArgumentException(node.name() + ": a " + kernel + "-wide window does not fit an input of " + size
                    + " with padding " + pad);
        }
        return out;
    }
}
