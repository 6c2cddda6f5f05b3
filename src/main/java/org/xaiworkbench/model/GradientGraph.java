package org.xaiworkbench.model;

import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2DBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.Relu6Derivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.Normalization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One SameDiff graph of a {@link LayerGraph}: the forward pass and a backward pass written out as
 * forward ops, instead of being derived by SameDiff's autodiff.
 *
 * <p>Autodiff of conv2d always computes the weight gradients too (conv2d_bp has them as outputs even
 * when the weights are constants), which is most of the work and all of it thrown away; like PyTorch's
 * backward for an input gradient, this graph computes only what is asked for: a stride-1
 * convolution's input gradient is a convolution with the flipped, transposed kernel, a dense layer's
 * a matrix product, a ReLU's a mask, a pool's the pooling derivative op. Only strided convolutions
 * use conv2d_bp. Writing the chain out also lets the same graph carry DeepLIFT's rescale multipliers
 * in place of the local gradients.
 *
 * <p>Images are channels-last inside the graph: oneDNN's convolutions run faster on NHWC data here;
 * inputs, captured activations and gradients are NCHW outside.
 */
final class GradientGraph {
    static final String INPUT = "input";
    static final String BASELINE = "baseline";
    static final String ONE_HOT = "one_hot";
    /** Below this |z - z0| a rescale multiplier falls back to the gradient (the difference is ~0 anyway). */
    private static final double RESCALE_EPS = 1e-7;

    /** What a call reads from a built graph; classes is null unless the graph picks the targets itself. */
    record Built(SameDiff sd, String logits, String classes, String inputGradient, Map<String, String> activations,
                 Map<String, String> gradients) {
    }

    /** Which graph: the score, DeepLIFT multipliers instead of gradients, targets from the arg-max, one row or several. */
    record Kind(Score score, boolean rescale, boolean predictedTarget, boolean singleRow) {
        /** A gradient graph for calls of that many rows. */
        static Kind of(Score score, boolean predictedTarget, long rows) {
            return new Kind(score, false, predictedTarget, rows == 1);
        }
    }

    private final LayerGraph graph;
    private final Normalization normalization;
    private final WeightLayouts weights;
    private final DataType dataType;
    private final Kind kind;
    private final Map<String, long[]> shapes;
    private final Map<String, Integer> consumers;
    private final Map<String, Boolean> image;
    private final Map<String, LayerGraph.Node> nodesByName = new HashMap<>();
    private final Set<String> capturable;
    private final Map<String, Integer> tokenGrids;
    private final SameDiff sd = SameDiff.create();
    private final Map<String, SDVariable> constants = new HashMap<>();

    private GradientGraph(LayerGraph graph, Normalization normalization, WeightLayouts weights, DataType dataType, Kind kind,
                          List<String> capturable) {
        this.graph = graph;
        this.normalization = normalization;
        this.weights = weights;
        this.dataType = dataType;
        this.kind = kind;
        this.shapes = graph.shapes();
        this.consumers = graph.consumers();
        this.image = graph.imageOutputs();
        this.capturable = Set.copyOf(capturable);
        this.tokenGrids = graph.tokenGrids();
        graph.nodes().forEach(node -> nodesByName.put(node.name(), node));
    }

    /** @param capturable layers whose activation and gradient callers can read */
    static Built build(LayerGraph graph, Normalization normalization, WeightLayouts weights, DataType dataType, Kind kind,
                       List<String> capturable) {
        return new GradientGraph(graph, normalization, weights, dataType, kind, capturable).build();
    }

    /**
     * Node outputs of one forward pass (images channels-last); pooledBeforeRelu holds, for a max-pool
     * computed as relu(maxpool(z)), its maxpool(z).
     */
    private static final class Forward {
        final Map<String, SDVariable> outputs = new HashMap<>();
        final Map<String, SDVariable> pooledBeforeRelu = new HashMap<>();
        /** Outputs converted to the other layout, made once for every reader that needs them so. */
        final Map<String, SDVariable> converted = new HashMap<>();
    }

    private Built build() {
        long[] in = shapes.get(LayerGraph.INPUT);
        Forward forward = forward(sd.placeHolder(INPUT, dataType, -1, in[0], in[1], in[2]), !kind.rescale(), "forward");
        Forward reference = kind.rescale()
                ? forward(sd.placeHolder(BASELINE, dataType, -1, in[0], in[1], in[2]), false, "reference")
                : null;
        SDVariable logits = forward.outputs.get(graph.output().name());
        SDVariable classes = kind.predictedTarget() ? sd.argmax(logits, 1) : null;
        SDVariable oneHot = kind.predictedTarget()
                ? sd.oneHot(null, classes, graph.numClasses(), -1, 1.0, 0.0, dataType)
                : sd.placeHolder(ONE_HOT, dataType, -1, graph.numClasses());
        SDVariable seed = switch (kind.score()) {
            case LOGIT -> oneHot;
            case PROBABILITY -> {
                SDVariable p = sd.nn().softmax(logits, 1);
                yield oneHot.sub(p).mul(oneHot.mul(p).sum(true, 1));
            }
            case LOG_PROBABILITY -> oneHot.sub(sd.nn().softmax(logits, 1));
        };

        Map<String, List<SDVariable>> incoming = new HashMap<>();
        incoming.computeIfAbsent(graph.output().name(), k -> new ArrayList<>()).add(seed);
        Map<String, SDVariable> reluInputGradients = new HashMap<>();
        Map<String, String> activations = new HashMap<>();
        Map<String, String> gradients = new HashMap<>();
        List<LayerGraph.Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            LayerGraph.Node node = nodes.get(i);
            List<SDVariable> parts = incoming.get(node.name());
            if (parts == null) {
                continue;
            }
            try (NameScope scope = layerScope("backward", i)) {
                SDVariable g = sum(parts);
                if (capturable.contains(node.name())) {
                    activations.put(node.name(), captured(node.name(), forward.outputs.get(node.name())).name());
                    gradients.put(node.name(), captured(node.name(), g).name());
                }
                List<SDVariable> inputGradients = backward(node, g, forward, reference, reluInputGradients);
                boolean imageLayout = usesImageLayout(node);
                for (int k = 0; k < node.inputs().size(); k++) {
                    String input = node.inputs().get(k);
                    incoming.computeIfAbsent(input, key -> new ArrayList<>()).add(toLayout(inputGradients.get(k), imageLayout, input));
                }
            }
        }
        SDVariable g = toChannelsFirst(sum(incoming.get(LayerGraph.INPUT)));
        if (normalization != null) {
            g = g.div(constants.get("std"));
        }
        return new Built(sd, logits.name(), classes == null ? null : classes.name(), g.name(), activations, gradients);
    }

    /**
     * One forward pass; passes of one graph share their weight constants.
     *
     * <p>With {@code poolBeforeRelu}, a max-pool that alone reads a ReLU is computed as
     * relu(maxpool(z)), which equals maxpool(relu(z)) since ReLU is monotone: the forward ReLU and the
     * backward ReLU mask then run on a quarter of the elements, and the gradient reaching z is the same
     * (the window's arg-max of z is that of relu(z) wherever the maximum is positive, and the mask is
     * zero elsewhere). relu(z) itself is still the ReLU layer's output, computed only when a caller
     * asks for it.
     */
    private Forward forward(SDVariable input, boolean poolBeforeRelu, String pass) {
        Forward f = new Forward();
        SDVariable h = input;
        if (normalization != null) {
            h = h.sub(constants.computeIfAbsent("mean", k -> sd.constant(channelVector(normalization.mean()))))
                    .div(constants.computeIfAbsent("std", k -> sd.constant(channelVector(normalization.std()))));
        }
        f.outputs.put(LayerGraph.INPUT, toChannelsLast(h));
        List<LayerGraph.Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            try (NameScope scope = layerScope(pass, i)) {
                f.outputs.put(nodes.get(i).name(), forward(f, nodes.get(i), poolBeforeRelu));
            }
        }
        return f;
    }

    /**
     * SameDiff names each new op by trying base, base_1, base_2, ... against all names taken so far,
     * which makes a graph's construction quadratic in its op count; within a scope of its own each
     * layer's ops find a free name at once.
     */
    private NameScope layerScope(String pass, int index) {
        return sd.withNameScope(pass + index);
    }

    /** One layer's output, from the outputs of the pass so far. */
    private SDVariable forward(Forward f, LayerGraph.Node node, boolean poolBeforeRelu) {
        boolean imageLayout = usesImageLayout(node);
        List<SDVariable> in = node.inputs().stream().map(i -> as(f, i, imageLayout)).toList();
        SDVariable x = in.get(0);
        LayerOp op = node.op();
        SDVariable out;
        if (op instanceof LayerOp.Conv c) {
            out = convolve(node.name(), c, x);
        } else if (op instanceof LayerOp.Dense d && shapes.get(node.name()).length > 1) {
            long[] s = shapes.get(node.inputs().get(0));
            SDVariable rows = x.reshape(-1, s[s.length - 1]);
            SDVariable product = rows.mmul(constant(node.name() + "#weight-transposed", () -> weights.denseWeightTransposed(node.name(), d)));
            if (d.bias() != null) {
                product = product.add(constant(node.name() + "#bias", () -> weights.vector(node.name() + "#bias", d.bias())));
            }
            out = product.reshape(withBatchSize(shapes.get(node.name())));
        } else if (op instanceof LayerOp.Dense d) {
            SDVariable product = kind.singleRow()
                    ? sd.mmul(x, constant(node.name() + "#weight", () -> weights.denseWeight(node.name(), d)), false, true, false)
                    : x.mmul(constant(node.name() + "#weight-transposed", () -> weights.denseWeightTransposed(node.name(), d)));
            // mmul + add rather than the fused xw_plus_b op: that one differs from DL4J by ~2e-4 in float
            out = d.bias() == null ? product
                    : product.add(constant(node.name() + "#bias", () -> weights.vector(node.name() + "#bias", d.bias())));
        } else if (op instanceof LayerOp.Affine a) {
            out = x.mul(constant(node.name() + "#scale", () -> weights.vector(node.name() + "#scale", a.scale())))
                    .add(constant(node.name() + "#shift", () -> weights.vector(node.name() + "#shift", a.shift())));
        } else if (op instanceof LayerOp.Activation a) {
            out = activate(a, x);
        } else if (op instanceof LayerOp.Pool p) {
            LayerGraph.Node source = producer(node.inputs().get(0));
            if (poolBeforeRelu && p.mode() == LayerOp.Pool.Mode.MAX && isRelu(source) && consumers.get(source.name()) == 1) {
                SDVariable pooled = pool(as(f, source.inputs().get(0), true), node);
                f.pooledBeforeRelu.put(node.name(), pooled);
                out = sd.nn().relu(pooled, 0);
            } else {
                out = pool(x, node);
            }
        } else if (op instanceof LayerOp.GlobalAveragePool) {
            out = sd.mean(x, true, 1, 2);
        } else if (op instanceof LayerOp.Flatten) {
            long[] s = shapes.get(node.inputs().get(0));
            out = s.length > 1 ? x.reshape(-1, Arrays.stream(s).reduce(1, (a, b) -> a * b)) : x;
        } else if (op instanceof LayerOp.ConstantArithmetic a) {
            SDVariable c = constant(node.name() + "#constant", () -> weights.broadcastConstant(node.name(), a.constant(), imageLayout));
            out = switch (a.operation()) {
                case ADD -> x.add(c);
                case SUBTRACT -> a.reversed() ? c.sub(x) : x.sub(c);
                case MULTIPLY -> x.mul(c);
                case DIVIDE -> x.div(c);
            };
        } else if (op instanceof LayerOp.Transpose t) {
            out = sd.permute(x, withBatch(t.order()));
        } else if (op instanceof LayerOp.Reshape r) {
            out = x.reshape(withBatchSize(r.shape()));
        } else if (op instanceof LayerOp.Mean m) {
            out = sd.mean(x, m.keepDimensions(), layoutAxes(m.axes(), imageLayout));
        } else if (op instanceof LayerOp.Slice sl) {
            out = x.get(axisInterval(shapes.get(node.inputs().get(0)).length, sl.axis(), sl.from(), sl.to()));
        } else if (op instanceof LayerOp.MatMul) {
            out = sd.mmul(in.get(0), in.get(1));
        } else if (op instanceof LayerOp.Softmax sm) {
            out = sd.nn().softmax(x, sm.axis() + 1);
        } else if (op instanceof LayerOp.ConstantConcat cc) {
            SDVariable c = constant(node.name() + "#constant", () -> weights.perImageConstant(node.name(), cc.constant()));
            int rank = shapes.get(node.inputs().get(0)).length;
            SDVariable perImage = x.get(axisInterval(rank, cc.axis(), 0, 1)).mul(0.0);
            for (long k = 1; k < cc.constant().size(cc.axis()); k++) {
                perImage = sd.concat(cc.axis() + 1, perImage, x.get(axisInterval(rank, cc.axis(), 0, 1)).mul(0.0));
            }
            out = sd.concat(cc.axis() + 1, perImage.add(c), x);
        } else if (op instanceof LayerOp.Add) {
            out = sum(in);
        } else if (op instanceof LayerOp.Concat) {
            out = sd.concat(imageLayout ? 3 : 1, in.toArray(new SDVariable[0]));
        } else if (op instanceof LayerOp.Multiply) {
            out = in.get(0).mul(in.get(1));
        } else if (op instanceof LayerOp.ZeroPad p) {
            out = sd.nn().pad(x, sd.constant(Nd4j.createFromArray(new int[][]{{0, 0}, {p.top(), p.bottom()}, {p.left(), p.right()}, {0, 0}})),
                    PadMode.CONSTANT, 0);
        } else if (op instanceof LayerOp.ChannelPermute p) {
            out = sd.gather(x, p.order(), 3);
        } else if (op instanceof LayerOp.ChannelSlice s) {
            out = channels(x, s.from(), s.to(), imageLayout, shapes.get(node.name()).length);
        } else if (op instanceof LayerOp.Identity) {
            out = x;
        } else {
            throw new IllegalStateException(node.name() + ": no forward pass for " + LayerOp.describe(op));
        }
        return out;
    }

    /** The gradients (or rescale multipliers) reaching each input of {@code node}, given {@code g} at its output. */
    private List<SDVariable> backward(LayerGraph.Node node, SDVariable g, Forward forward, Forward reference,
                                      Map<String, SDVariable> reluInputGradients) {
        LayerOp op = node.op();
        String input = node.inputs().get(0);
        boolean imageLayout = usesImageLayout(node);
        SDVariable x = as(forward, input, imageLayout);
        if (op instanceof LayerOp.Conv c) {
            return List.of(convolutionInputGradient(node.name(), c, x, g));
        }
        if (op instanceof LayerOp.Dense d) {
            SDVariable weight = constant(node.name() + "#weight", () -> weights.denseWeight(node.name(), d));
            long[] out = shapes.get(node.name());
            return List.of(out.length == 1 ? g.mmul(weight)
                    : g.reshape(-1, out[out.length - 1]).mmul(weight).reshape(withBatchSize(shapes.get(input))));
        }
        if (op instanceof LayerOp.ConstantArithmetic a) {
            SDVariable c = constant(node.name() + "#constant", () -> weights.broadcastConstant(node.name(), a.constant(), imageLayout));
            return List.of(switch (a.operation()) {
                case ADD -> g;
                case SUBTRACT -> a.reversed() ? g.neg() : g;
                case MULTIPLY -> g.mul(c);
                case DIVIDE -> g.div(c);
            });
        }
        if (op instanceof LayerOp.Transpose t) {
            int[] inverse = new int[t.order().length];
            for (int i = 0; i < inverse.length; i++) {
                inverse[t.order()[i]] = i;
            }
            return List.of(sd.permute(g, withBatch(inverse)));
        }
        if (op instanceof LayerOp.Reshape) {
            return List.of(g.reshape(withBatchSize(shapes.get(input))));
        }
        if (op instanceof LayerOp.Slice sl) {
            long[] in = shapes.get(input);
            int[][] padding = new int[in.length + 1][2];
            padding[sl.axis() + 1] = new int[]{sl.from(), (int) in[sl.axis()] - sl.to()};
            return List.of(sd.nn().pad(g, sd.constant(Nd4j.createFromArray(padding)), PadMode.CONSTANT, 0));
        }
        if (op instanceof LayerOp.ConstantConcat cc) {
            long[] out = shapes.get(node.name());
            return List.of(g.get(axisInterval(out.length, cc.axis(), cc.constant().size(cc.axis()), out[cc.axis()])));
        }
        if (op instanceof LayerOp.Softmax sm) {
            if (kind.rescale()) {
                throw new IllegalArgumentException(node.name() + ": DeepLIFT has no rule for softmax; use integrated gradients instead");
            }
            SDVariable p = forward.outputs.get(node.name());
            return List.of(p.mul(g.sub(g.mul(p).sum(true, sm.axis() + 1))));
        }
        if (op instanceof LayerOp.MatMul) {
            String second = node.inputs().get(1);
            // DeepLIFT: AB - A0B0 = (A - A0)(B + B0)/2 + (A + A0)/2 (B - B0) for a bilinear map
            SDVariable a = kind.rescale() ? x.add(as(reference, input, false)).mul(0.5) : x;
            SDVariable b = kind.rescale() ? as(forward, second, false).add(as(reference, second, false)).mul(0.5) : as(forward, second, false);
            return List.of(sd.mmul(g, b, false, true, false), sd.mmul(a, g, true, false, false));
        }
        if (op instanceof LayerOp.Mean m) {
            long[] in = layoutShape(shapes.get(input), imageLayout);
            long count = 1;
            long[] kept = in.clone();
            for (int axis : layoutAxes(m.axes(), imageLayout)) {
                count *= in[axis - 1];
                kept[axis - 1] = 1;
            }
            return List.of(sd.zerosLike(x).add(g.reshape(withBatchSize(kept)).div(count)));
        }
        if (op instanceof LayerOp.Affine a) {
            return List.of(g.mul(constant(node.name() + "#scale", () -> weights.vector(node.name() + "#scale", a.scale()))));
        }
        if (op instanceof LayerOp.Activation a) {
            if (kind.rescale()) {
                return List.of(g.mul(rescaleMultiplier(a, x, as(reference, input, imageLayout))));
            }
            SDVariable throughPool = reluInputGradients.get(node.name());
            if (throughPool != null) {
                return List.of(throughPool);
            }
            // one fused op instead of two steps, a subtraction and two products on MobileNet's largest activations
            return List.of(isRelu6(a) ? new Relu6Derivative(sd, x, g, 0).outputVariable() : g.mul(derivative(a, x, forward.outputs.get(node.name()))));
        }
        if (op instanceof LayerOp.Pool p) {
            SDVariable pooledFirst = forward.pooledBeforeRelu.get(node.name());
            if (pooledFirst != null) {
                LayerGraph.Node relu = producer(input);
                reluInputGradients.put(relu.name(),
                        poolDerivative(as(forward, relu.inputs().get(0), true), g.mul(sd.math().step(pooledFirst, 0.0)), node));
            }
            if (kind.rescale() && p.mode() == LayerOp.Pool.Mode.MAX) {
                return List.of(maxPoolMultiplier(x, forward.outputs.get(node.name()), as(reference, input, true),
                        reference.outputs.get(node.name()), g, node));
            }
            return List.of(poolDerivative(x, g, node));
        }
        if (op instanceof LayerOp.GlobalAveragePool) {
            long[] s = shapes.get(input);
            return List.of(sd.zerosLike(x).add(g.div(s[1] * s[2])));
        }
        if (op instanceof LayerOp.Flatten) {
            long[] s = shapes.get(input);
            return List.of(s.length > 1 ? g.reshape(withBatchSize(s)) : g);
        }
        if (op instanceof LayerOp.Add) {
            return node.inputs().stream().map(name -> reduceToShape(g, name, node.name(), imageLayout)).toList();
        }
        if (op instanceof LayerOp.Concat) {
            List<SDVariable> parts = new ArrayList<>();
            long from = 0;
            for (String name : node.inputs()) {
                long to = from + shapes.get(name)[0];
                parts.add(channels(g, from, to, imageLayout, shapes.get(node.name()).length));
                from = to;
            }
            return parts;
        }
        if (op instanceof LayerOp.Multiply) {
            List<SDVariable> parts = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                String other = node.inputs().get(1 - k);
                // DeepLIFT: ab - a0b0 = (b + b0)/2 (a - a0) + (a + a0)/2 (b - b0), so each factor's multiplier is the other's mean
                SDVariable factor = kind.rescale()
                        ? as(forward, other, imageLayout).add(as(reference, other, imageLayout)).mul(0.5)
                        : as(forward, other, imageLayout);
                parts.add(reduceToShape(g.mul(factor), node.inputs().get(k), node.name(), imageLayout));
            }
            return parts;
        }
        if (op instanceof LayerOp.ZeroPad p) {
            long[] s = shapes.get(input);
            return List.of(g.get(SDIndex.all(), SDIndex.interval((long) p.top(), p.top() + s[1]),
                    SDIndex.interval((long) p.left(), p.left() + s[2]), SDIndex.all()));
        }
        if (op instanceof LayerOp.ChannelPermute p) {
            int[] inverse = new int[p.order().length];
            for (int i = 0; i < inverse.length; i++) {
                inverse[p.order()[i]] = i;
            }
            return List.of(sd.gather(g, inverse, 3));
        }
        if (op instanceof LayerOp.ChannelSlice s) {
            long[] in = shapes.get(input);
            int[][] padding = new int[in.length + 1][2];
            padding[imageLayout && in.length == 3 ? 3 : 1] = new int[]{s.from(), (int) in[0] - s.to()};
            return List.of(sd.nn().pad(g, sd.constant(Nd4j.createFromArray(padding)), PadMode.CONSTANT, 0));
        }
        if (op instanceof LayerOp.Identity) {
            return List.of(g);
        }
        throw new IllegalStateException(node.name() + ": no backward pass for " + LayerOp.describe(op));
    }

    /** Channels (the first axis after the batch; the last of a channels-last image) [from, to) of a tensor of that rank. */
    private SDVariable channels(SDVariable t, long from, long to, boolean imageLayout, int rank) {
        SDIndex[] index = new SDIndex[rank + 1];
        java.util.Arrays.fill(index, SDIndex.all());
        index[imageLayout && rank == 3 ? 3 : 1] = SDIndex.interval(from, to);
        return t.get(index);
    }

    /** A gradient at a broadcast result summed back to the shape of the input {@code layer}, in the layout the op used. */
    private SDVariable reduceToShape(SDVariable g, String layer, String result, boolean imageLayout) {
        long[] in = layoutShape(shapes.get(layer), imageLayout);
        long[] out = layoutShape(shapes.get(result), imageLayout);
        if (Arrays.equals(in, out)) {
            return g;
        }
        int lead = out.length - in.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (i < lead || in[i - lead] == 1 && out[i] > 1) {
                axes.add(i + 1);
            }
        }
        SDVariable summed = axes.isEmpty() ? g : g.sum(true, axes.stream().mapToInt(Integer::intValue).toArray());
        return lead == 0 ? summed : summed.reshape(withBatchSize(in));
    }

    /** Which layout an op computes in: images channels-last for image ops, PyTorch's for the rest; element-wise ops their output's. */
    private boolean usesImageLayout(LayerGraph.Node node) {
        LayerOp op = node.op();
        if (op instanceof LayerOp.Conv || op instanceof LayerOp.Pool || op instanceof LayerOp.GlobalAveragePool || op instanceof LayerOp.ZeroPad
                || op instanceof LayerOp.ChannelPermute || op instanceof LayerOp.Affine && shapes.get(node.name()).length == 3) {
            return true;
        }
        if (op instanceof LayerOp.Transpose || op instanceof LayerOp.Reshape || op instanceof LayerOp.Flatten || op instanceof LayerOp.Dense) {
            return false;
        }
        return image.get(node.name());
    }

    /** A node's output in the layout asked for: only rank-3 tensors differ between the two. */
    private SDVariable as(Forward f, String name, boolean imageLayout) {
        SDVariable out = f.outputs.get(name);
        if (shapes.get(name).length != 3 || image.get(name) == imageLayout) {
            return out;
        }
        return f.converted.computeIfAbsent(name, k -> imageLayout ? toChannelsLast(out) : toChannelsFirst(out));
    }

    /** A gradient computed in an op's layout, in the layout of the input it flows to. */
    private SDVariable toLayout(SDVariable g, boolean imageLayout, String input) {
        if (shapes.get(input).length != 3 || image.get(input) == imageLayout) {
            return g;
        }
        return imageLayout ? toChannelsFirst(g) : toChannelsLast(g);
    }

    /** A shape without the batch axis as the layout holds it: [H,W,C] for a channels-last image. */
    private static long[] layoutShape(long[] shape, boolean imageLayout) {
        return imageLayout && shape.length == 3 ? new long[]{shape[1], shape[2], shape[0]} : shape;
    }

    /** Axes after the batch axis (PyTorch's, 0 the first) as the layout's axes, counting the batch axis. */
    private static int[] layoutAxes(int[] axes, boolean imageLayout) {
        int[] channelsLast = {3, 1, 2};
        return Arrays.stream(axes).map(a -> imageLayout ? channelsLast[a] : a + 1).toArray();
    }

    /** An index taking [from, to) of one axis after the batch axis of a tensor of that rank (without the batch), all of the others. */
    private static SDIndex[] axisInterval(int rank, int axis, long from, long to) {
        SDIndex[] index = new SDIndex[rank + 1];
        Arrays.fill(index, SDIndex.all());
        index[axis + 1] = SDIndex.interval(from, to);
        return index;
    }

    private static int[] withBatch(int[] order) {
        int[] out = new int[order.length + 1];
        for (int i = 0; i < order.length; i++) {
            out[i + 1] = order[i] + 1;
        }
        return out;
    }

    private static long[] withBatchSize(long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = -1;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    /** Ungrouped and depthwise convolutions as one op; other grouped ones as one convolution per group, concatenated. */
    private SDVariable convolve(String name, LayerOp.Conv dilated, SDVariable x) {
        LayerOp.Conv c = undilated(dilated);
        if (c.depthwise()) {
            SDVariable kernel = constant(name + "#depthwise-kernel", () -> weights.depthwiseKernel(name, c));
            return c.bias() == null ? sd.cnn().depthWiseConv2d(x, kernel, convConfig(c))
                    : sd.cnn().depthWiseConv2d(x, kernel, constant(name + "#bias", () -> weights.vector(name + "#bias", c.bias())), convConfig(c));
        }
        if (c.groups() > 1) {
            List<LayerOp.Conv> groups = groups(c);
            long in = c.weight().size(1);
            SDVariable[] parts = new SDVariable[groups.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = convolve(name + "#group" + i, groups.get(i),
                        x.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(i * in, (i + 1) * in)));
            }
            return sd.concat(3, parts);
        }
        SDVariable kernel = constant(name + "#kernel", () -> weights.forwardKernel(name, c));
        return c.bias() == null
                ? sd.cnn().conv2d(x, kernel, convConfig(c))
                : sd.cnn().conv2d(x, kernel, constant(name + "#bias", () -> weights.vector(name + "#bias", c.bias())), convConfig(c));
    }

    private SDVariable convolutionInputGradient(String name, LayerOp.Conv dilated, SDVariable x, SDVariable g) {
        LayerOp.Conv c = undilated(dilated);
        if (c.depthwise()) {
            SDVariable kernel = constant(name + "#depthwise-kernel", () -> weights.depthwiseKernel(name, c));
            return new DepthwiseConv2DBp(sd, x, kernel, g, convConfig(c)).outputVariables()[0];
        }
        if (c.groups() > 1) {
            List<LayerOp.Conv> groups = groups(c);
            long in = c.weight().size(1);
            long out = c.weight().size(0) / c.groups();
            SDVariable[] parts = new SDVariable[groups.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = convolutionInputGradient(name + "#group" + i, groups.get(i),
                        x.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(i * in, (i + 1) * in)),
                        g.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(i * out, (i + 1) * out)));
            }
            return sd.concat(3, parts);
        }
        return convInputGradient(name, c, x, g);
    }

    /**
     * A dilated convolution as the undilated one with zeros between the kernel's taps: the same map,
     * which oneDNN computes where its dilated float convolution refuses ("could not create a
     * descriptor for a dilated convolution forward propagation primitive", libnd4j 1.0.0-M2.1).
     */
    private static LayerOp.Conv undilated(LayerOp.Conv c) {
        if (c.dilationH() == 1 && c.dilationW() == 1) {
            return c;
        }
        INDArray w = c.weight();
        INDArray spread = Nd4j.zeros(w.dataType(), w.size(0), w.size(1), (long) c.dilationH() * (w.size(2) - 1) + 1,
                (long) c.dilationW() * (w.size(3) - 1) + 1);
        for (long y = 0; y < w.size(2); y++) {
            for (long x = 0; x < w.size(3); x++) {
                spread.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(y * c.dilationH()), NDArrayIndex.point(x * c.dilationW()))
                        .assign(w.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(y), NDArrayIndex.point(x)));
            }
        }
        return new LayerOp.Conv(spread, c.bias(), c.strideH(), c.strideW(), c.padH(), c.padW(), 1, 1, c.groups());
    }

    /** A grouped convolution's groups as ungrouped convolutions. */
    private static List<LayerOp.Conv> groups(LayerOp.Conv c) {
        long out = c.weight().size(0) / c.groups();
        List<LayerOp.Conv> groups = new ArrayList<>();
        for (int i = 0; i < c.groups(); i++) {
            INDArray w = c.weight().get(NDArrayIndex.interval(i * out, (i + 1) * out)).dup('c');
            INDArray b = c.bias() == null ? null : c.bias().get(NDArrayIndex.interval(i * out, (i + 1) * out)).dup('c');
            groups.add(new LayerOp.Conv(w, b, c.strideH(), c.strideW(), c.padH(), c.padW(), c.dilationH(), c.dilationW()));
        }
        return groups;
    }

    private SDVariable convInputGradient(String name, LayerOp.Conv c, SDVariable x, SDVariable g) {
        int padH = c.dilationH() * (c.kernelH() - 1) - c.padH();
        int padW = c.dilationW() * (c.kernelW() - 1) - c.padW();
        if (c.strideH() == 1 && c.strideW() == 1 && padH >= 0 && padW >= 0) {
            SDVariable kernel = constant(name + "#backward-kernel", () -> weights.backwardKernel(name, c));
            return sd.cnn().conv2d(g, kernel, Conv2DConfig.builder().kH(c.kernelH()).kW(c.kernelW()).sH(1).sW(1).pH(padH).pW(padW)
                    .dH(c.dilationH()).dW(c.dilationW()).dataFormat("NHWC").build());
        }
        SDVariable kernel = constant(name + "#kernel", () -> weights.forwardKernel(name, c));
        return new Conv2DDerivative(sd, new SDVariable[]{x, kernel, g}, convConfig(c)).outputVariables()[0];
    }

    private SDVariable activate(LayerOp.Activation a, SDVariable z) {
        return switch (a.function()) {
            case RELU -> sd.nn().relu(z, 0);
            case LEAKY_RELU -> sd.nn().leakyRelu(z, a.alpha());
            case ELU -> sd.nn().relu(z, 0).add(sd.math().exp(sd.math().min(z, sd.zerosLike(z))).sub(1.0).mul(a.alpha()));
            case SIGMOID -> sd.nn().sigmoid(z);
            case TANH -> sd.math().tanh(z);
            case CLIP -> isRelu6(a) ? sd.nn().relu6(z, 0) : sd.math().clipByValue(z, a.alpha(), a.beta());
            case HARD_SIGMOID -> sd.math().clipByValue(z.mul(a.alpha()).add(a.beta()), 0, 1);
            case HARD_SWISH -> z.mul(sd.math().clipByValue(z.add(3.0), 0, 6)).div(6.0);
            case SQRT -> sd.math().sqrt(z);
            case ERF -> sd.math().erf(z);
            case POWER -> sd.math().pow(z, a.alpha());
            case RECIPROCAL -> z.rdiv(1.0);
        };
    }

    /** f'(z), given z and f(z). */
    private SDVariable derivative(LayerOp.Activation a, SDVariable z, SDVariable fz) {
        return switch (a.function()) {
            // step + mul, not the relu_bp op: that one took about twice as long on VGG activations here
            case RELU -> sd.math().step(z, 0.0);
            case LEAKY_RELU -> sd.math().step(z, 0.0).mul(1 - a.alpha()).add(a.alpha());
            case ELU -> {
                SDVariable positive = sd.math().step(z, 0.0);
                yield positive.add(positive.rsub(1.0).mul(sd.math().exp(sd.math().min(z, sd.zerosLike(z))).mul(a.alpha())));
            }
            case SIGMOID -> fz.mul(fz.rsub(1.0));
            case TANH -> fz.mul(fz).rsub(1.0);
            case CLIP -> inside(z, a.alpha(), a.beta());
            case HARD_SIGMOID -> inside(z.mul(a.alpha()).add(a.beta()), 0, 1).mul(a.alpha());
            case HARD_SWISH -> z.mul(2.0).add(3.0).div(6.0).mul(inside(z, -3, 3)).add(sd.math().step(z, 3.0));
            case SQRT -> fz.rdiv(0.5);
            case ERF -> sd.math().exp(z.mul(z).neg()).mul(2 / Math.sqrt(Math.PI));
            case POWER -> a.alpha() == 2 ? z.mul(2.0) : sd.math().pow(z, a.alpha() - 1).mul(a.alpha());
            case RECIPROCAL -> fz.mul(fz).neg();
        };
    }

    private static boolean isRelu6(LayerOp.Activation a) {
        return a.function() == LayerOp.Activation.Function.CLIP && a.alpha() == 0 && a.beta() == 6;
    }

    /** 1 where lo < z < hi, else 0. */
    private SDVariable inside(SDVariable z, double lo, double hi) {
        return sd.math().step(z, lo).mul(sd.math().step(z.rsub(hi), 0.0));
    }

    /** (f(z) - f(z0)) / (z - z0), or f'(z) where the two are too close to divide. */
    private SDVariable rescaleMultiplier(LayerOp.Activation a, SDVariable z, SDVariable z0) {
        SDVariable dz = z.sub(z0);
        SDVariable small = sd.math().abs(dz).lt(RESCALE_EPS).castTo(dataType);
        SDVariable fz = activate(a, z);
        SDVariable ratio = fz.sub(activate(a, z0)).div(dz.add(small));
        return ratio.mul(small.rsub(1.0)).add(derivative(a, z, fz).mul(small));
    }

    /**
     * Captum's rule for max-pools: the change of each window's maximum goes to the position that holds
     * it, a rise through the input's arg-max, a fall through the baseline's, which keeps the sum exact
     * where a gradient pass-through would not.
     */
    private SDVariable maxPoolMultiplier(SDVariable a, SDVariable p, SDVariable a0, SDVariable p0, SDVariable g, LayerGraph.Node pool) {
        SDVariable top = sd.math().max(p, p0);
        SDVariable rise = poolDerivative(a, g.mul(top.sub(p0)), pool);
        SDVariable fall = poolDerivative(a0, g.mul(p.sub(top)), pool);
        SDVariable da = a.sub(a0);
        SDVariable small = sd.math().abs(da).lt(RESCALE_EPS).castTo(dataType);
        return rise.add(fall).div(da.add(small)).mul(small.rsub(1.0)).add(poolDerivative(a, g, pool).mul(small));
    }

    private SDVariable pool(SDVariable x, LayerGraph.Node node) {
        LayerOp.Pool p = (LayerOp.Pool) node.op();
        SDVariable padded = overhang(x, node);
        return p.mode() == LayerOp.Pool.Mode.MAX ? sd.cnn().maxPooling2d(padded, poolConfig(p)) : sd.cnn().avgPooling2d(padded, poolConfig(p));
    }

    private SDVariable poolDerivative(SDVariable poolInput, SDVariable gradOut, LayerGraph.Node node) {
        LayerOp.Pool p = (LayerOp.Pool) node.op();
        SDVariable g = Pooling2DDerivative.derivativeBuilder().sameDiff(sd).inputs(new SDVariable[]{overhang(poolInput, node), gradOut})
                .config(poolConfig(p)).build().outputVariable();
        int[] extra = overhang(node);
        if (extra[0] == 0 && extra[1] == 0) {
            return g;
        }
        long[] s = shapes.get(node.inputs().get(0));
        return g.get(SDIndex.all(), SDIndex.interval(0L, s[1]), SDIndex.interval(0L, s[2]), SDIndex.all());
    }

    /**
     * A ceil-mode max-pool's input with the rows and columns its last windows run past the end, filled
     * with the lowest finite value so that they never hold a window's maximum (every window starts
     * inside the input).
     */
    private SDVariable overhang(SDVariable x, LayerGraph.Node node) {
        int[] extra = overhang(node);
        if (extra[0] == 0 && extra[1] == 0) {
            return x;
        }
        double lowest = dataType == DataType.DOUBLE ? -Double.MAX_VALUE : -Float.MAX_VALUE;
        return sd.nn().pad(x, sd.constant(Nd4j.createFromArray(new int[][]{{0, 0}, {0, extra[0]}, {0, extra[1]}, {0, 0}})),
                PadMode.CONSTANT, lowest);
    }

    private int[] overhang(LayerGraph.Node node) {
        LayerOp.Pool p = (LayerOp.Pool) node.op();
        if (!p.ceilMode()) {
            return new int[]{0, 0};
        }
        long[] in = shapes.get(node.inputs().get(0));
        long[] out = shapes.get(node.name());
        return new int[]{LayerGraph.ceilOverhang(in[1], p.kernelH(), p.strideH(), p.padH(), out[1]),
                LayerGraph.ceilOverhang(in[2], p.kernelW(), p.strideW(), p.padW(), out[2])};
    }

    private static Conv2DConfig convConfig(LayerOp.Conv c) {
        return Conv2DConfig.builder().kH(c.kernelH()).kW(c.kernelW()).sH(c.strideH()).sW(c.strideW()).pH(c.padH()).pW(c.padW())
                .dH(c.dilationH()).dW(c.dilationW()).dataFormat("NHWC").build();
    }

    private static Pooling2DConfig poolConfig(LayerOp.Pool p) {
        boolean max = p.mode() == LayerOp.Pool.Mode.MAX;
        return Pooling2DConfig.builder().kH(p.kernelH()).kW(p.kernelW()).sH(p.strideH()).sW(p.strideW()).pH(p.padH()).pW(p.padW())
                .dH(1).dW(1).type(max ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                // libnd4j reads the averaging divisor from "extra" (1: the whole window, 0: real pixels only)
                .divisor(p.countPadding() ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING).extra(p.countPadding() ? 1 : 0)
                .isNHWC(true).build();
    }

    private LayerGraph.Node producer(String name) {
        return LayerGraph.INPUT.equals(name) ? null : nodesByName.get(name);
    }

    private static boolean isRelu(LayerGraph.Node node) {
        return node != null && node.op() instanceof LayerOp.Activation a && a.function() == LayerOp.Activation.Function.RELU;
    }

    private SDVariable constant(String key, Supplier<INDArray> value) {
        return constants.computeIfAbsent(key, k -> sd.constant(value.get()));
    }

    private SDVariable sum(List<SDVariable> parts) {
        SDVariable total = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            total = total.add(parts.get(i));
        }
        return total;
    }

    private SDVariable toChannelsLast(SDVariable nchw) {
        return sd.permute(nchw, 0, 2, 3, 1);
    }

    /** A captured layer as [N,C,h,w]: an image from channels-last, a token grid from its [N,T,C] patch tokens, class token dropped. */
    private SDVariable captured(String layer, SDVariable value) {
        Integer side = tokenGrids.get(layer);
        if (side == null) {
            return toChannelsFirst(value);
        }
        long[] shape = shapes.get(layer);
        long tokens = shape[shape.length - 2];
        long channels = shape[shape.length - 1];
        SDVariable rows = shape.length == 2 ? value : sd.reshape(value, -1, tokens, channels);
        SDVariable patches = tokens == (long) side * side ? rows : rows.get(axisInterval(2, 0, 1, tokens));
        return sd.permute(sd.reshape(patches, -1, side, side, channels), 0, 3, 1, 2);
    }

    private SDVariable toChannelsFirst(SDVariable nhwc) {
        return sd.permute(nhwc, 0, 3, 1, 2);
    }

    private INDArray channelVector(double[] values) {
        return Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length, 1, 1);
    }
}
