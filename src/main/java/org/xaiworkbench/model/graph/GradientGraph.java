package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.Normalization;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One SameDiff graph of a {@link LayerGraph}: the forward pass and a backward pass written out as
 * forward ops, instead of being derived by SameDiff's autodiff. Each op writes its own forward and
 * backward rule ({@link LayerOp}); this class strings them together, keeps the layouts and sums the
 * gradients that meet at a layer read by several others.
 *
 * <p>Autodiff of conv2d always computes the weight gradients too (conv2d_bp has them as outputs even
 * when the weights are constants), which is most of the work and all of it thrown away; like PyTorch's
 * backward for an input gradient, this graph computes only what is asked for: a stride-1
 * convolution's input gradient is a convolution with the flipped, transposed kernel, a strided one's
 * a transposed convolution, a dense layer's a matrix product, a ReLU's a mask, a pool's the pooling
 * derivative op. Writing the chain out also lets the same graph carry DeepLIFT's rescale multipliers
 * in place of the local gradients.
 *
 * <p>Images are channels-last inside the graph: oneDNN's convolutions run faster on NHWC data here;
 * inputs, captured activations and gradients are NCHW outside.
 */
final class GradientGraph {
    static final String INPUT = "input";
    static final String BASELINE = "baseline";
    static final String ONE_HOT = "one_hot";

    /**
     * What a call reads from a built graph; classes is null unless the graph picks the targets itself.
     * {@code constants} are the nodes' constants with their recipes, for {@link #redraw}.
     */
    record Built(SameDiff sd, String logits, String classes, String inputGradient, Map<String, String> activations,
                 Map<String, String> gradients, List<NodeConstant> constants) {
        /**
         * Makes {@code node}'s constants again from {@code op}, an op of the same shapes with other
         * weights: the graph then computes the model with that op, without being built anew.
         */
        void redraw(String node, LayerOp op, WeightLayouts weights) {
            for (NodeConstant constant : constants) {
                if (!constant.node().equals(node)) {
                    continue;
                }
                INDArray array = constant.recipe().make(op, weights);
                INDArray old = sd.getConstantArrays().getArray(constant.variable());
                if (!Arrays.equals(array.shape(), old.shape()) || array.dataType() != old.dataType()) {
                    throw new IllegalArgumentException("layer " + node + ": the new op's constant " + constant.variable() + " is "
                            + array.dataType() + Arrays.toString(array.shape()) + ", the graph's " + old.dataType() + Arrays.toString(old.shape()));
                }
                // setting a name that holds an array assigns into that array, which other graphs share: replace it instead
                sd.getConstantArrays().removeArray(constant.variable());
                sd.getConstantArrays().setArray(constant.variable(), array);
            }
        }
    }

    /** A constant the op of {@code node} made by {@code recipe}, held by the graph under {@code variable}. */
    record NodeConstant(String node, String variable, OpContext.ConstantRecipe recipe) {
    }

    /**
     * Which graph: the score, DeepLIFT multipliers instead of gradients, targets from the arg-max, one
     * row or several, what ReLUs pass back, and LRP's rules when relevance flows back instead (null otherwise).
     */
    record Kind(Score score, boolean rescale, boolean predictedTarget, boolean singleRow, ReluRule reluRule, LrpComposite lrp) {
        /** A gradient graph for calls of that many rows. */
        static Kind of(Score score, boolean predictedTarget, long rows) {
            return new Kind(score, false, predictedTarget, rows == 1, ReluRule.GRADIENT, null);
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
    private final List<NodeConstant> nodeConstants = new ArrayList<>();
    /** The first convolution in node order, which LRP composites treat as the input layer; null if there is none. */
    private final String firstConvolution;

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
        this.firstConvolution = graph.nodes().stream().filter(node -> node.op() instanceof Conv).map(LayerGraph.Node::name).findFirst()
                .orElse(null);
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
        // the fusion hands the ReLU's mask to the pool's backward: right for the gradient, and for guided backprop where
        // windows do not overlap (see forward); the deconvolution's and LRP's ReLUs pass on what no mask would keep
        boolean poolBeforeRelu = !kind.rescale() && kind.reluRule() != ReluRule.DECONVOLUTION && kind.lrp() == null;
        Forward forward = forward(sd.placeHolder(INPUT, dataType, -1, in[0], in[1], in[2]), poolBeforeRelu, "forward");
        Forward reference = kind.rescale()
                ? forward(sd.placeHolder(BASELINE, dataType, -1, in[0], in[1], in[2]), false, "reference")
                : null;
        SDVariable logits = forward.outputs.get(graph.output().name());
        SDVariable classes = kind.predictedTarget() ? sd.argmax(logits, 1) : null;
        SDVariable oneHot = kind.predictedTarget()
                ? sd.oneHot(null, classes, graph.numClasses(), -1, 1.0, 0.0, dataType)
                : sd.placeHolder(ONE_HOT, dataType, -1, graph.numClasses());
        SDVariable seed = switch (kind.score()) {
            // relevance starts as the target's logit, so that it sums to the logit at the input (less what biases absorb)
            case LOGIT -> kind.lrp() != null ? oneHot.mul(logits) : oneHot;
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
                SDVariable g = SdTensors.sum(parts);
                if (capturable.contains(node.name())) {
                    activations.put(node.name(), captured(node.name(), forward.outputs.get(node.name())).name());
                    gradients.put(node.name(), captured(node.name(), g).name());
                }
                List<SDVariable> inputGradients = kind.lrp() != null ? node.op().relevance(new NodeContext(node, forward, null), g)
                        : backward(node, g, forward, reference, reluInputGradients);
                boolean imageLayout = usesImageLayout(node);
                for (int k = 0; k < node.inputs().size(); k++) {
                    String input = node.inputs().get(k);
                    incoming.computeIfAbsent(input, key -> new ArrayList<>()).add(toLayout(inputGradients.get(k), imageLayout, input));
                }
            }
        }
        SDVariable g = toChannelsFirst(SdTensors.sum(incoming.get(LayerGraph.INPUT)));
        // relevance is a share of the score, not a derivative: it is not divided by the normalization's scale
        if (normalization != null && kind.lrp() == null) {
            g = g.div(constants.get("std"));
        }
        return new Built(sd, logits.name(), classes == null ? null : classes.name(), g.name(), activations, gradients,
                List.copyOf(nodeConstants));
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

    /**
     * One layer's output, from the outputs of the pass so far. A max-pool that alone reads a ReLU may
     * be computed before it (see {@link #forward(SDVariable, boolean, String)}).
     */
    private SDVariable forward(Forward f, LayerGraph.Node node, boolean poolBeforeRelu) {
        NodeContext context = new NodeContext(node, f, null);
        // guided backprop's relu(g) commutes with the pool's scatter only where each position is in one window
        if (poolBeforeRelu && node.op() instanceof Pool p && p.mode() == Pool.Mode.MAX && (kind.reluRule() == ReluRule.GRADIENT || p.tiles())) {
            LayerGraph.Node source = producer(node.inputs().get(0));
            if (isRelu(source) && consumers.get(source.name()) == 1) {
                SDVariable pooled = p.pool(context, as(f, source.inputs().get(0), true));
                f.pooledBeforeRelu.put(node.name(), pooled);
                return sd.nn().relu(pooled, 0);
            }
        }
        return node.op().forward(context);
    }

    /** The gradients (or rescale multipliers) reaching each input of {@code node}, given {@code g} at its output. */
    private List<SDVariable> backward(LayerGraph.Node node, SDVariable g, Forward forward, Forward reference,
                                      Map<String, SDVariable> reluInputGradients) {
        NodeContext context = new NodeContext(node, forward, reference);
        SDVariable pooledFirst = forward.pooledBeforeRelu.get(node.name());
        if (pooledFirst != null) {
            LayerGraph.Node relu = producer(node.inputs().get(0));
            reluInputGradients.put(relu.name(),
                    ((Pool) node.op()).derivative(context, as(forward, relu.inputs().get(0), true),
                            (kind.reluRule() == ReluRule.GUIDED ? sd.nn().relu(g, 0) : g).mul(sd.math().step(pooledFirst, 0.0))));
        }
        SDVariable throughPool = reluInputGradients.get(node.name());
        return throughPool != null ? List.of(throughPool) : node.op().backward(context, g);
    }

    /** One node as its op sees it: inputs in the op's layout, from the forward pass and, for DeepLIFT, the reference pass. */
    private final class NodeContext implements OpContext {
        private final LayerGraph.Node node;
        private final Forward forward;
        private final Forward reference;
        private final boolean imageLayout;

        NodeContext(LayerGraph.Node node, Forward forward, Forward reference) {
            this.node = node;
            this.forward = forward;
            this.reference = reference;
            this.imageLayout = usesImageLayout(node);
        }

        @Override
        public SameDiff sd() {
            return sd;
        }

        @Override
        public DataType dataType() {
            return dataType;
        }

        @Override
        public String name() {
            return node.name();
        }

        @Override
        public boolean imageLayout() {
            return imageLayout;
        }

        @Override
        public int inputCount() {
            return node.inputs().size();
        }

        @Override
        public long[] inputShape(int k) {
            return shapes.get(node.inputs().get(k));
        }

        @Override
        public long[] outputShape() {
            return shapes.get(node.name());
        }

        @Override
        public SDVariable input(int k) {
            return as(forward, node.inputs().get(k), imageLayout);
        }

        @Override
        public SDVariable output() {
            return forward.outputs.get(node.name());
        }

        @Override
        public boolean rescale() {
            return kind.rescale();
        }

        @Override
        public ReluRule reluRule() {
            return kind.reluRule();
        }

        @Override
        public LrpComposite lrp() {
            return kind.lrp();
        }

        @Override
        public boolean firstConvolution() {
            return node.name().equals(firstConvolution);
        }

        @Override
        public boolean readsInput() {
            return node.inputs().contains(LayerGraph.INPUT);
        }

        @Override
        public INDArray[] inputBounds() {
            int channels = (int) shapes.get(LayerGraph.INPUT)[0];
            double[] low = new double[channels];
            double[] high = new double[channels];
            for (int k = 0; k < channels; k++) {
                low[k] = normalization == null ? 0 : -normalization.mean()[k] / normalization.std()[k];
                high[k] = normalization == null ? 1 : (1 - normalization.mean()[k]) / normalization.std()[k];
            }
            long[] shape = imageLayout ? new long[]{1, 1, 1, channels} : new long[]{1, channels, 1, 1};
            return new INDArray[]{Nd4j.createFromArray(low).castTo(dataType).reshape(shape), Nd4j.createFromArray(high).castTo(dataType).reshape(shape)};
        }

        @Override
        public SDVariable referenceInput(int k) {
            return as(reference, node.inputs().get(k), imageLayout);
        }

        @Override
        public SDVariable referenceOutput() {
            return reference.outputs.get(node.name());
        }

        @Override
        public boolean singleRow() {
            return kind.singleRow();
        }

        @Override
        public WeightLayouts weights() {
            return weights;
        }

        @Override
        public SDVariable constant(String key, ConstantRecipe recipe) {
            return constants.computeIfAbsent(key, k -> {
                SDVariable constant = sd.constant(recipe.make(node.op(), weights));
                nodeConstants.add(new NodeConstant(node.name(), constant.name(), recipe));
                return constant;
            });
        }

        @Override
        public SDVariable reduceToInput(SDVariable g, int k) {
            long[] in = SdTensors.layoutShape(inputShape(k), imageLayout);
            long[] out = SdTensors.layoutShape(outputShape(), imageLayout);
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
            return lead == 0 ? summed : summed.reshape(SdTensors.withBatchSize(in));
        }
    }

    /** Which layout an op computes in: images channels-last for image ops, PyTorch's for plain ones, element-wise ops their output's. */
    private boolean usesImageLayout(LayerGraph.Node node) {
        return switch (node.op().layout(shapes.get(node.name()))) {
            case IMAGE -> true;
            case PLAIN -> false;
            case ELEMENT_WISE -> image.get(node.name());
        };
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

    private LayerGraph.Node producer(String name) {
        return LayerGraph.INPUT.equals(name) ? null : nodesByName.get(name);
    }

    private static boolean isRelu(LayerGraph.Node node) {
        return node != null && node.op() instanceof Activation a && a.isRelu();
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
        SDVariable patches = tokens == (long) side * side ? rows : rows.get(SdTensors.axisInterval(2, 0, 1, tokens));
        return sd.permute(sd.reshape(patches, -1, side, side, channels), 0, 3, 1, 2);
    }

    private SDVariable toChannelsFirst(SDVariable nhwc) {
        return sd.permute(nhwc, 0, 3, 1, 2);
    }

    private INDArray channelVector(double[] values) {
        return Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length, 1, 1);
    }
}
