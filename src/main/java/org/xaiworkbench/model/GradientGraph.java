package org.xaiworkbench.model;

import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.Normalization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final List<String> capturable;
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
        this.capturable = capturable;
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
    }

    private Built build() {
        long[] in = shapes.get(LayerGraph.INPUT);
        Forward forward = forward(sd.placeHolder(INPUT, dataType, -1, in[0], in[1], in[2]), !kind.rescale());
        Forward reference = kind.rescale()
                ? forward(sd.placeHolder(BASELINE, dataType, -1, in[0], in[1], in[2]), false)
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
            SDVariable g = sum(parts);
            if (capturable.contains(node.name())) {
                activations.put(node.name(), toChannelsFirst(forward.outputs.get(node.name())).name());
                gradients.put(node.name(), toChannelsFirst(g).name());
            }
            List<SDVariable> inputGradients = backward(node, g, forward, reference, reluInputGradients);
            for (int k = 0; k < node.inputs().size(); k++) {
                incoming.computeIfAbsent(node.inputs().get(k), key -> new ArrayList<>()).add(inputGradients.get(k));
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
    private Forward forward(SDVariable input, boolean poolBeforeRelu) {
        Forward f = new Forward();
        SDVariable h = input;
        if (normalization != null) {
            h = h.sub(constants.computeIfAbsent("mean", k -> sd.constant(channelVector(normalization.mean()))))
                    .div(constants.computeIfAbsent("std", k -> sd.constant(channelVector(normalization.std()))));
        }
        f.outputs.put(LayerGraph.INPUT, toChannelsLast(h));
        for (LayerGraph.Node node : graph.nodes()) {
            List<SDVariable> in = node.inputs().stream().map(f.outputs::get).toList();
            SDVariable x = in.get(0);
            LayerOp op = node.op();
            SDVariable out;
            if (op instanceof LayerOp.Conv c) {
                SDVariable kernel = constant(node.name() + "#kernel", () -> weights.forwardKernel(node.name(), c));
                out = c.bias() == null
                        ? sd.cnn().conv2d(x, kernel, convConfig(c))
                        : sd.cnn().conv2d(x, kernel, constant(node.name() + "#bias", () -> weights.vector(node.name() + "#bias", c.bias())),
                        convConfig(c));
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
                    SDVariable pooled = pool(f.outputs.get(source.inputs().get(0)), p);
                    f.pooledBeforeRelu.put(node.name(), pooled);
                    out = sd.nn().relu(pooled, 0);
                } else {
                    out = pool(x, p);
                }
            } else if (op instanceof LayerOp.GlobalAveragePool) {
                out = sd.mean(x, true, 1, 2);
            } else if (op instanceof LayerOp.Flatten) {
                long[] s = shapes.get(node.inputs().get(0));
                out = s.length == 3 ? toChannelsFirst(x).reshape(-1, s[0] * s[1] * s[2]) : x;
            } else if (op instanceof LayerOp.Add) {
                out = sum(in);
            } else if (op instanceof LayerOp.Concat) {
                out = sd.concat(shapes.get(node.name()).length == 3 ? 3 : 1, in.toArray(new SDVariable[0]));
            } else {
                out = x;
            }
            f.outputs.put(node.name(), out);
        }
        return f;
    }

    /** The gradients (or rescale multipliers) reaching each input of {@code node}, given {@code g} at its output. */
    private List<SDVariable> backward(LayerGraph.Node node, SDVariable g, Forward forward, Forward reference,
                                      Map<String, SDVariable> reluInputGradients) {
        LayerOp op = node.op();
        String input = node.inputs().get(0);
        SDVariable x = forward.outputs.get(input);
        if (op instanceof LayerOp.Conv c) {
            return List.of(convInputGradient(node.name(), c, x, g));
        }
        if (op instanceof LayerOp.Dense d) {
            return List.of(g.mmul(constant(node.name() + "#weight", () -> weights.denseWeight(node.name(), d))));
        }
        if (op instanceof LayerOp.Affine a) {
            return List.of(g.mul(constant(node.name() + "#scale", () -> weights.vector(node.name() + "#scale", a.scale()))));
        }
        if (op instanceof LayerOp.Activation a) {
            if (kind.rescale()) {
                return List.of(g.mul(rescaleMultiplier(a, x, reference.outputs.get(input))));
            }
            SDVariable throughPool = reluInputGradients.get(node.name());
            return List.of(throughPool != null ? throughPool : g.mul(derivative(a, x, forward.outputs.get(node.name()))));
        }
        if (op instanceof LayerOp.Pool p) {
            SDVariable pooledFirst = forward.pooledBeforeRelu.get(node.name());
            if (pooledFirst != null) {
                LayerGraph.Node relu = producer(input);
                reluInputGradients.put(relu.name(),
                        poolDerivative(forward.outputs.get(relu.inputs().get(0)), g.mul(sd.math().step(pooledFirst, 0.0)), p));
            }
            if (kind.rescale() && p.mode() == LayerOp.Pool.Mode.MAX) {
                return List.of(maxPoolMultiplier(x, forward.outputs.get(node.name()), reference.outputs.get(input),
                        reference.outputs.get(node.name()), g, p));
            }
            return List.of(poolDerivative(x, g, p));
        }
        if (op instanceof LayerOp.GlobalAveragePool) {
            long[] s = shapes.get(input);
            return List.of(sd.zerosLike(x).add(g.div(s[1] * s[2])));
        }
        if (op instanceof LayerOp.Flatten) {
            long[] s = shapes.get(input);
            return List.of(s.length == 3 ? toChannelsLast(g.reshape(-1, s[0], s[1], s[2])) : g);
        }
        if (op instanceof LayerOp.Add) {
            return node.inputs().stream().map(name -> g).toList();
        }
        if (op instanceof LayerOp.Concat) {
            boolean image = shapes.get(node.name()).length == 3;
            List<SDVariable> parts = new ArrayList<>();
            long from = 0;
            for (String name : node.inputs()) {
                long to = from + shapes.get(name)[0];
                SDIndex channels = SDIndex.interval(from, to);
                parts.add(image ? g.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), channels) : g.get(SDIndex.all(), channels));
                from = to;
            }
            return parts;
        }
        return List.of(g);
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
        };
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
    private SDVariable maxPoolMultiplier(SDVariable a, SDVariable p, SDVariable a0, SDVariable p0, SDVariable g, LayerOp.Pool pool) {
        SDVariable top = sd.math().max(p, p0);
        SDVariable rise = poolDerivative(a, g.mul(top.sub(p0)), pool);
        SDVariable fall = poolDerivative(a0, g.mul(p.sub(top)), pool);
        SDVariable da = a.sub(a0);
        SDVariable small = sd.math().abs(da).lt(RESCALE_EPS).castTo(dataType);
        return rise.add(fall).div(da.add(small)).mul(small.rsub(1.0)).add(poolDerivative(a, g, pool).mul(small));
    }

    private SDVariable pool(SDVariable x, LayerOp.Pool p) {
        return p.mode() == LayerOp.Pool.Mode.MAX ? sd.cnn().maxPooling2d(x, poolConfig(p)) : sd.cnn().avgPooling2d(x, poolConfig(p));
    }

    private SDVariable poolDerivative(SDVariable poolInput, SDVariable gradOut, LayerOp.Pool p) {
        return Pooling2DDerivative.derivativeBuilder().sameDiff(sd).inputs(new SDVariable[]{poolInput, gradOut})
                .config(poolConfig(p)).build().outputVariable();
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
        return LayerGraph.INPUT.equals(name) ? null : graph.node(name);
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

    private SDVariable toChannelsFirst(SDVariable nhwc) {
        return sd.permute(nhwc, 0, 3, 1, 2);
    }

    private INDArray channelVector(double[] values) {
        return Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length, 1, 1);
    }
}
