package org.xaiworkbench.model.graph;

import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.ClassifierArguments;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.LayerGradients;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Reinitializable;
import org.xaiworkbench.model.Score;

import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.Normalization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A {@link LayerGraph} as a classifier in pixel space (normalization is the graph's first op), with
 * input gradients, layer captures and DeepLIFT multipliers from SameDiff graphs that compute no weight
 * gradients (see {@link GradientGraph}).
 *
 * <p>One graph per kind of call, built on first use. Calls are synchronized: SameDiff sessions are not
 * safe for concurrent use of one graph.
 */
public final class GraphClassifier implements Reinitializable, ImageClassifier {
    /** Rows per graph call at most, for small models. */
    private static final int MAX_ROWS = 128;
    /**
     * Memory the activations of one graph call may take: a quarter of what ND4J may allocate off-heap,
     * at most 2 GiB. A call keeps every layer's output and its gradient, with temporaries about three
     * times the outputs.
     */
    private static final long CALL_BUDGET = Math.min(2L << 30, org.bytedeco.javacpp.Pointer.maxBytes() / 4);
    private static final int COPIES_PER_OUTPUT = 3;

    private final LayerGraph graph;
    private final Normalization normalization;
    private final List<String> classNames;
    private final DataType dataType;
    private final List<String> layerNames;
    private final WeightLayouts weights;
    private final Map<GradientGraph.Kind, GradientGraph.Built> graphs = new HashMap<>();
    private final int rowsPerCall;

    /**
     * @param normalization per-channel normalization applied inside the graph; null for none
     * @param classNames    one name per logit
     * @param dataType      FLOAT for real models; DOUBLE for finite-difference tests
     */
    public GraphClassifier(LayerGraph graph, Normalization normalization, List<String> classNames, DataType dataType) {
        this(graph, normalization, classNames, dataType, new WeightLayouts(dataType), true);
    }

    /** @param checkNow whether to build a graph now: not for a copy with new weights, whose layers the original has checked */
    private GraphClassifier(LayerGraph graph, Normalization normalization, List<String> classNames, DataType dataType,
                            WeightLayouts weights, boolean checkNow) {
        if (normalization != null && graph.channels() != normalization.mean().length) {
            throw new IllegalArgumentException("normalization has " + normalization.mean().length + " channels, the model's input has "
                    + graph.channels());
        }
        if (classNames.size() != graph.numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + graph.numClasses() + " outputs");
        }
        this.graph = graph;
        this.normalization = normalization;
        this.classNames = List.copyOf(classNames);
        this.dataType = dataType;
        this.layerNames = graph.spatialLayers();
        this.weights = weights;
        this.rowsPerCall = rowsPerCall(graph, dataType);
        if (checkNow) {
            // built now so that a graph SameDiff cannot express fails here rather than on first use
            graph(GradientGraph.Kind.of(Score.LOGIT, false, 1));
        }
    }

    /** Rows of a graph call: as many as fit {@link #CALL_BUDGET}, from 1 (a ViT or ResNet-50 at 224x224) to {@value #MAX_ROWS}. */
    static int rowsPerCall(LayerGraph graph, DataType dataType) {
        long bytesPerRow = bytesPerRow(graph, dataType);
        if (bytesPerRow > org.bytedeco.javacpp.Pointer.maxBytes()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "one image's activations, gradients and temporaries take about "
                    + "%.1f GB, more than the %.1f GB ND4J may allocate (-Dorg.bytedeco.javacpp.maxbytes)", bytesPerRow / 1e9,
                    org.bytedeco.javacpp.Pointer.maxBytes() / 1e9));
        }
        return (int) Math.max(1, Math.min(MAX_ROWS, CALL_BUDGET / Math.max(1, bytesPerRow)));
    }

    /** What one image takes in a graph call: every layer's output and its gradient, with temporaries. */
    public static long bytesPerRow(LayerGraph graph, DataType dataType) {
        long values = graph.shapes().values().stream().mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
        return values * dataType.width() * COPIES_PER_OUTPUT;
    }

    /** Rows of each graph call, bounding the memory of activations kept for the backward pass. */
    public int rowsPerCall() {
        return rowsPerCall;
    }

    @Override
    public int[] inputShape() {
        return new int[]{graph.channels(), graph.height(), graph.width()};
    }

    public LayerGraph layerGraph() {
        return graph;
    }

    public Normalization normalization() {
        return normalization;
    }

    public DataType dataType() {
        return dataType;
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** Layers with an image output larger than 1x1 and token grids ({@link LayerGraph#tokenGrids}), in forward order. */
    @Override
    public List<String> layerNames() {
        return layerNames;
    }

    /**
     * The last layer with an image output, passing over pooling at the end of the stack: the pooled map
     * is coarser and holds nothing the layer before it does not (on the report's VGG13 this is
     * conv_layers.13, the last convolution's ReLU, the layer the Grad-CAM paper uses on VGG; the pooled
     * 4x4 map of conv_layers.14 is the one the report found dark). On a vision transformer, the last
     * token grid before the last attention: the one after it is read through the class token only,
     * and its patch tokens get no gradient (pytorch-grad-cam likewise looks before the last block's attention).
     */
    @Override
    public String defaultCamLayer() {
        Map<String, LayerOp> ops = new HashMap<>();
        Map<String, Integer> positions = new HashMap<>();
        List<LayerGraph.Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            ops.put(nodes.get(i).name(), nodes.get(i).op());
            positions.put(nodes.get(i).name(), i);
        }
        Map<String, Integer> grids = graph.tokenGrids();
        int lastMixing = graph.lastTokenMixing();
        for (int i = layerNames.size() - 1; i >= 0; i--) {
            String layer = layerNames.get(i);
            boolean emptyGrid = grids.containsKey(layer) && positions.get(layer) > lastMixing;
            if (!(ops.get(layer) instanceof Pool) && !emptyGrid) {
                return layer;
            }
        }
        return ImageClassifier.super.defaultCamLayer();
    }

    /** The rest of the network after {@code layer}: logits from that layer's activation [N,C,h,w] (see {@link LayerGraph#tailFrom}). */
    public GraphClassifier tailFrom(String layer) {
        return new GraphClassifier(graph.tailFrom(layer), null, classNames, dataType);
    }

    @Override
    public List<String> parameterLayers() {
        return graph.nodes().stream().filter(n -> n.op().hasParameters()).map(LayerGraph.Node::name).toList();
    }

    /** PyTorch's default for convolutions and dense layers: weight and bias from U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    @Override
    public GraphClassifier reinitialized(List<String> layers, long seed) {
        Map<String, LayerOp> drawn = new HashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (String layer : layers) {
            draw(layer, random, drawn);
        }
        return withOps(drawn);
    }

    /**
     * Each stage draws only its new layer, continuing the one stream {@link #reinitialized} would draw
     * all of them from, and takes over the previous stage's graphs with that layer's constants made
     * again ({@link GradientGraph.Built#redraw}): a cascade builds its graphs once, not once per stage.
     * A stage called after the next one was drawn builds its graphs anew.
     */
    @Override
    public Iterator<Classifier> cascade(List<String> layers, long seed) {
        List<String> order = List.copyOf(layers);
        order.forEach(this::checkParameterLayer);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, LayerOp> drawn = new HashMap<>();
        return new Iterator<>() {
            private GraphClassifier stage;

            @Override
            public boolean hasNext() {
                return drawn.size() < order.size();
            }

            @Override
            public Classifier next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String layer = order.get(drawn.size());
                draw(layer, random, drawn);
                stage = stage == null ? withOps(drawn) : stage.redrawn(layer, drawn.get(layer));
                return stage;
            }
        };
    }

    /** This model with {@code layer}'s op replaced by {@code op}, given this one's graphs, which it leaves without. */
    private synchronized GraphClassifier redrawn(String layer, LayerOp op) {
        Map<String, LayerOp> replaced = Map.of(layer, op);
        GraphClassifier next = new GraphClassifier(graph.withOps(replaced), normalization, classNames, dataType,
                weights.sharedExcept(replaced.keySet()), false);
        graphs.forEach((kind, built) -> {
            built.redraw(layer, op, next.weights);
            next.graphs.put(kind, built);
        });
        graphs.clear();
        return next;
    }

    private void draw(String layer, SplittableRandom random, Map<String, LayerOp> drawn) {
        checkParameterLayer(layer);
        drawn.put(layer, graph.node(layer).op().reinitialized(random));
    }

    private void checkParameterLayer(String layer) {
        if (!parameterLayers().contains(layer)) {
            throw new IllegalArgumentException("'" + layer + "' is not a layer with parameters, expected one of " + parameterLayers());
        }
    }

    private GraphClassifier withOps(Map<String, LayerOp> drawn) {
        return new GraphClassifier(graph.withOps(drawn), normalization, classNames, dataType, weights.sharedExcept(drawn.keySet()), false);
    }

    @Override
    public synchronized INDArray logits(INDArray x) {
        INDArray input = checkedInput(x);
        GradientGraph.Built built = graph(GradientGraph.Kind.of(Score.LOGIT, false, input.size(0)));
        return run(built, Map.of(GradientGraph.INPUT, input), built.logits()).get(built.logits());
    }

    @Override
    public synchronized INDArray scoreGradient(INDArray x, int[] classes, Score score) {
        INDArray input = checkedInput(x);
        GradientGraph.Built built = graph(GradientGraph.Kind.of(score, false, input.size(0)));
        return run(built, Map.of(GradientGraph.INPUT, input, GradientGraph.ONE_HOT, oneHot(classes, input.size(0))), built.inputGradient())
                .get(built.inputGradient());
    }

    @Override
    public synchronized WithLogits<INDArray> scoreGradientWithLogits(INDArray x, int[] classes, Score score) {
        INDArray input = checkedInput(x);
        return withLogits(GradientGraph.Kind.of(score, classes == null, input.size(0)), input, classes);
    }

    @Override
    public synchronized LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
        checkLayer(layer);
        INDArray input = checkedInput(x);
        GradientGraph.Built built = graph(GradientGraph.Kind.of(score, false, input.size(0)));
        String activation = built.activations().get(layer);
        String gradient = built.gradients().get(layer);
        Map<String, INDArray> out = run(built, Map.of(GradientGraph.INPUT, input, GradientGraph.ONE_HOT, oneHot(classes, input.size(0))),
                activation, gradient);
        return new LayerCapture(layer, out.get(activation), out.get(gradient));
    }

    @Override
    public synchronized WithLogits<LayerCapture> captureWithLogits(INDArray x, String layer, int[] classes, Score score) {
        checkLayer(layer);
        INDArray input = checkedInput(x);
        GradientGraph.Built built = graph(GradientGraph.Kind.of(score, classes == null, input.size(0)));
        String activation = built.activations().get(layer);
        String gradient = built.gradients().get(layer);
        Map<String, INDArray> out = run(built, targetInputs(input, classes), outputsWithLogits(built, classes, activation, gradient));
        return new WithLogits<>(out.get(built.logits()), classes != null ? classes.clone() : out.get(built.classes()).toIntVector(),
                new LayerCapture(layer, out.get(activation), out.get(gradient)));
    }

    /**
     * The layers that add a learned bias per channel to an image, with that bias in forward order:
     * convolutions with a bias, and batch norms, whose shift is their bias once the running statistics are
     * folded in. Only layers whose gradient can be captured ({@link #layerNames}).
     */
    public Map<String, double[]> channelBiases() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (LayerGraph.Node node : graph.nodes()) {
            INDArray bias = node.op() instanceof Conv conv ? conv.bias() : node.op() instanceof Affine affine ? affine.shift() : null;
            if (bias != null && layerNames.contains(node.name())) {
                out.put(node.name(), bias.castTo(DataType.DOUBLE).toDoubleVector());
            }
        }
        return out;
    }

    /** The gradient of score[classes[i]] at the input and at each of {@code layers}, from one backward pass. */
    public synchronized LayerGradients gradients(INDArray x, List<String> layers, int[] classes, Score score) {
        layers.forEach(this::checkLayer);
        INDArray input = checkedInput(x);
        GradientGraph.Built built = graph(GradientGraph.Kind.of(score, false, input.size(0)));
        String[] outputs = new String[layers.size() + 1];
        outputs[0] = built.inputGradient();
        for (int i = 0; i < layers.size(); i++) {
            outputs[i + 1] = built.gradients().get(layers.get(i));
        }
        Map<String, INDArray> out = run(built, Map.of(GradientGraph.INPUT, input, GradientGraph.ONE_HOT, oneHot(classes, input.size(0))), outputs);
        Map<String, INDArray> atLayers = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            atLayers.put(layers.get(i), out.get(outputs[i + 1]));
        }
        return new LayerGradients(out.get(outputs[0]), atLayers);
    }

    /**
     * DeepLIFT (rescale rule) multipliers of the logit classes[i] with respect to the input, for each
     * pair (x_i, baseline_i): attributions are (x - baseline) * multipliers, and they sum to
     * logit(x_i) - logit(baseline_i) exactly (up to terms of the size of the rescale threshold).
     * Activations use (f(z) - f(z0)) / (z - z0); max-pools route the change of each window's maximum
     * to the position that holds it; linear layers pass multipliers on as gradients.
     */
    public synchronized INDArray rescaleMultipliers(INDArray x, INDArray baseline, int[] classes) {
        INDArray input = checkedInput(x);
        INDArray reference = checkedInput(baseline);
        if (!Arrays.equals(input.shape(), reference.shape())) {
            throw new IllegalArgumentException("baseline shape " + Arrays.toString(reference.shape())
                    + " differs from input shape " + Arrays.toString(input.shape()));
        }
        GradientGraph.Built built = graph(new GradientGraph.Kind(Score.LOGIT, true, false, false, ReluRule.GRADIENT, null));
        String multipliers = built.inputGradient();
        return run(built, Map.of(GradientGraph.INPUT, input, GradientGraph.BASELINE, reference,
                GradientGraph.ONE_HOT, oneHot(classes, input.size(0))), multipliers).get(multipliers);
    }

    /**
     * {@link #scoreGradient} with every ReLU passing back what {@code rule} says instead of its gradient:
     * guided backpropagation's or the deconvolution network's signal at the input.
     */
    public synchronized INDArray reluRuleGradient(INDArray x, int[] classes, Score score, ReluRule rule) {
        INDArray input = checkedInput(x);
        GradientGraph.Built built = graph(new GradientGraph.Kind(score, false, false, input.size(0) == 1, rule, null));
        return run(built, Map.of(GradientGraph.INPUT, input, GradientGraph.ONE_HOT, oneHot(classes, input.size(0))), built.inputGradient())
                .get(built.inputGradient());
    }

    /**
     * Layer-wise relevance propagation of the logit classes[i] to the input of the network (after its
     * normalization), each layer following {@code composite}'s rules: [N,C,H,W], summing to the logit
     * less what biases and stabilizers absorb.
     */
    public synchronized INDArray relevance(INDArray x, int[] classes, LrpComposite composite) {
        INDArray input = checkedInput(x);
        GradientGraph.Built built = graph(new GradientGraph.Kind(Score.LOGIT, false, false, input.size(0) == 1, ReluRule.GRADIENT, composite));
        return run(built, Map.of(GradientGraph.INPUT, input, GradientGraph.ONE_HOT, oneHot(classes, input.size(0))), built.inputGradient())
                .get(built.inputGradient());
    }

    /** {@link #relevance} with the logits of the same pass, for {@code classes} or, when null, each image's predicted class. */
    public synchronized WithLogits<INDArray> relevanceWithLogits(INDArray x, int[] classes, LrpComposite composite) {
        INDArray input = checkedInput(x);
        return withLogits(new GradientGraph.Kind(Score.LOGIT, false, classes == null, input.size(0) == 1, ReluRule.GRADIENT, composite),
                input, classes);
    }

    /** {@link #reluRuleGradient} with the logits of the same pass, for {@code classes} or, when null, each image's predicted class. */
    public synchronized WithLogits<INDArray> reluRuleGradientWithLogits(INDArray x, int[] classes, Score score, ReluRule rule) {
        INDArray input = checkedInput(x);
        return withLogits(new GradientGraph.Kind(score, false, classes == null, input.size(0) == 1, rule, null), input, classes);
    }

    /** The input gradient of a graph of that kind with its logits; the kind finds the classes itself when {@code classes} is null. */
    private WithLogits<INDArray> withLogits(GradientGraph.Kind kind, INDArray input, int[] classes) {
        GradientGraph.Built built = graph(kind);
        Map<String, INDArray> out = run(built, targetInputs(input, classes), outputsWithLogits(built, classes, built.inputGradient()));
        return new WithLogits<>(out.get(built.logits()), classes != null ? classes.clone() : out.get(built.classes()).toIntVector(),
                out.get(built.inputGradient()));
    }

    private Map<String, INDArray> targetInputs(INDArray input, int[] classes) {
        return classes == null ? Map.of(GradientGraph.INPUT, input)
                : Map.of(GradientGraph.INPUT, input, GradientGraph.ONE_HOT, oneHot(classes, input.size(0)));
    }

    private static String[] outputsWithLogits(GradientGraph.Built built, int[] classes, String... outputs) {
        List<String> names = new ArrayList<>(List.of(outputs));
        names.add(built.logits());
        if (classes == null) {
            names.add(built.classes());
        }
        return names.toArray(new String[0]);
    }

    /** Why relevance cannot propagate through this graph under {@code composite} (an op without a rule), or empty if it can. */
    public java.util.Optional<String> relevanceRefusal(LrpComposite composite) {
        try {
            graph(new GradientGraph.Kind(Score.LOGIT, false, false, true, ReluRule.GRADIENT, composite));
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /**
     * Why DeepLIFT's rescale rule cannot run on this graph (a layer it has no rule for, such as
     * attention's softmax), or empty if it can: checked when a method is built, not minutes into a run.
     */
    public java.util.Optional<String> rescaleRuleRefusal() {
        return graph.nodes().stream().filter(node -> node.op() instanceof Softmax).findFirst()
                .map(node -> "layer " + node.name() + " is a softmax, for which the rescale rule has no multipliers");
    }

    /** The op names of the score's gradient graph for calls of that many rows: tests check that no weight gradient is computed. */
    synchronized List<String> gradientGraphOps(Score score, boolean predictedTarget, long rows) {
        return Arrays.stream(graph(GradientGraph.Kind.of(score, predictedTarget, rows)).sd().ops()).map(op -> op.opName()).toList();
    }

    /** The array cache the score's gradient graph uses in the calling thread, null before it ran there: for tests. */
    synchronized SessionMemMgr gradientGraphMemory(Score score, boolean predictedTarget, long rows) {
        InferenceSession session = graph(GradientGraph.Kind.of(score, predictedTarget, rows)).sd().getSessions()
                .get(Thread.currentThread().getId());
        return session == null ? null : session.getMmgr();
    }

    private GradientGraph.Built graph(GradientGraph.Kind kind) {
        return graphs.computeIfAbsent(kind, k -> GradientGraph.build(graph, normalization, weights, dataType, k, layerNames));
    }

    private void checkLayer(String layer) {
        if (!layerNames.contains(layer)) {
            throw new IllegalArgumentException("unknown layer '" + layer + "', expected one of " + layerNames);
        }
    }

    private INDArray checkedInput(INDArray x) {
        ClassifierArguments.images(x, inputShape());
        return x.dataType() == dataType && x.ordering() == 'c' ? x : x.castTo(dataType).dup('c');
    }

    private INDArray oneHot(int[] classes, long n) {
        return ClassifierArguments.oneHot(classes, n, numClasses(), dataType);
    }

    /** Runs the graph on at most {@link #rowsPerCall} rows of every input at a time and stacks each output's parts. */
    private Map<String, INDArray> run(GradientGraph.Built built, Map<String, INDArray> inputs, String... outputs) {
        long n = inputs.get(GradientGraph.INPUT).size(0);
        Map<String, List<INDArray>> parts = new HashMap<>();
        ArrayCache.useFor(built.sd());
        for (long start = 0; start < n; start += rowsPerCall) {
            long from = start;
            long to = Math.min(n, start + rowsPerCall);
            Map<String, INDArray> chunk = new HashMap<>();
            inputs.forEach((name, value) -> chunk.put(name, rows(value, from, to)));
            built.sd().output(chunk, outputs).forEach((name, value) -> parts.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        }
        Map<String, INDArray> out = new HashMap<>();
        parts.forEach((name, list) -> out.put(name, concat(list)));
        return out;
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return from == 0 && to == a.size(0) ? a : a.get(NDArrayIndex.interval(from, to)).dup('c');
    }

    private static INDArray concat(List<INDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
