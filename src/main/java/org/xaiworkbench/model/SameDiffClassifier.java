package org.xaiworkbench.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.Normalization;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trained network as a SameDiff graph with the same weights, in pixel space (normalization is
 * the graph's first op).
 *
 * <p>The backward pass is written out as forward ops instead of being derived by SameDiff's autodiff:
 * a convolution's input gradient is a convolution with the flipped, transposed kernel, a linear
 * layer's is a matrix product, a ReLU's a mask, a max-pool's the pooling derivative op. Autodiff of
 * conv2d always computes the weight gradients too (conv2d_bp has them as outputs even when the
 * weights are constants), which is most of the work and all of it thrown away; like PyTorch's
 * backward for an input gradient, this graph computes only what is asked for. Writing the chain out
 * also lets the same graph carry DeepLIFT's rescale multipliers in place of the local gradients.
 *
 * <p>One graph per {@link Score}, built on first use. Calls are synchronized: SameDiff sessions are
 * not safe for concurrent use of one graph.
 */
public final class SameDiffClassifier implements Reinitializable {
    /** Rows per graph call; bounds the memory of activations kept for the backward pass. */
    private static final int MAX_ROWS = 128;
    /** Below this |z - z0| the rescale multiplier falls back to the gradient (the difference is ~0 anyway). */
    private static final double RESCALE_EPS = 1e-7;
    private static final String INPUT = "input";
    private static final String BASELINE = "baseline";
    private static final String ONE_HOT = "one_hot";

    private final List<VggSpec.Module> modules;
    private final Map<String, INDArray> weights;
    /** Each linear layer's weight as [in,out], made when the first graph for several rows is built and shared by all of them. */
    private final Map<String, INDArray> transposedWeights = new HashMap<>();
    private final Normalization normalization;
    private final List<String> classNames;
    private final List<String> layerNames;
    private final int inputChannels;
    private final int inputSize;
    private final DataType dataType;

    private final Map<GraphKind, Graph> gradientGraphs = new HashMap<>();
    private Graph rescaleGraph;

    /**
     * Gradient graphs differ in the score, in where the target class comes from (a placeholder, or the
     * arg-max logit), and in the linear layers' forward layout for one row or several (see
     * {@link #forward}).
     */
    private record GraphKind(Score score, boolean predictedTarget, boolean singleRow) {
    }

    /** A built graph and the names of the variables callers read; classes is null unless the graph picks the targets. */
    private record Graph(SameDiff sd, String logits, String classes, String inputGradient, Map<String, String> activations,
                         Map<String, String> gradients) {
    }

    /**
     * @param modules       the network in forward order: CONV (3x3, pad 1), RELU, MAXPOOL (2x2), LINEAR, DROPOUT (identity)
     * @param weights       PyTorch state-dict naming and layout: {@code <name>.weight} [out,in,3,3] or [out,in], {@code <name>.bias} [out]
     * @param normalization per-channel normalization applied inside the graph; null for none (any channel count)
     * @param classNames    one name per output of the last module
     * @param inputChannels channels of the input images
     * @param inputSize     height and width of the (square) input images
     * @param dataType      FLOAT for the real model; DOUBLE for finite-difference tests
     */
    public SameDiffClassifier(List<VggSpec.Module> modules, Map<String, INDArray> weights, Normalization normalization,
                              List<String> classNames, int inputChannels, int inputSize, DataType dataType) {
        if (modules.isEmpty() || modules.get(modules.size() - 1).kind() != VggSpec.Kind.LINEAR) {
            throw new IllegalArgumentException("modules must end with a LINEAR module");
        }
        if (normalization != null && inputChannels != normalization.mean().length) {
            throw new IllegalArgumentException("normalization has " + normalization.mean().length
                    + " channels, input has " + inputChannels);
        }
        int outputs = modules.get(modules.size() - 1).out();
        if (classNames.size() != outputs) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + outputs + " outputs");
        }
        if (inputChannels <= 0 || inputSize <= 0) {
            throw new IllegalArgumentException("input channels and size must be > 0, got " + inputChannels + ", " + inputSize);
        }
        this.modules = List.copyOf(modules);
        this.weights = checkedWeights(modules, weights, dataType);
        this.normalization = normalization;
        this.classNames = List.copyOf(classNames);
        this.inputChannels = inputChannels;
        this.inputSize = inputSize;
        this.dataType = dataType;
        List<String> spatial = new ArrayList<>();
        for (VggSpec.Module m : modules) {
            if (m.kind() == VggSpec.Kind.LINEAR) {
                break;
            }
            spatial.add(m.name());
        }
        this.layerNames = List.copyOf(spatial);
        // built now so that inconsistent module shapes fail here rather than on first use
        gradientGraph(Score.LOGIT, false, 1);
    }

    /** The DL4J network's weights in a float graph, with the card's normalization and class names. */
    public static SameDiffClassifier fromNetwork(MultiLayerNetwork net, ModelCard card) {
        return new SameDiffClassifier(VggSpec.modules(), PyTorchStateDict.fromNetwork(net), card.normalization(),
                card.classNames(), VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE, DataType.FLOAT);
    }

    /**
     * A freshly initialised VGG13 with a nominal normalization: the same cost per pass as the trained
     * model, for benchmarks that must run before any training.
     */
    public static SameDiffClassifier untrainedVgg13(List<String> classNames) {
        double[] mean = {0.5, 0.5, 0.5};
        double[] std = {0.25, 0.25, 0.25};
        ModelCard card = new ModelCard("untrained", classNames, mean, std, 1e-3, 0, 1, 0, 0, "");
        return fromNetwork(Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 1)), card);
    }

    /** A trained model folder (model.zip + model.json). */
    public static SameDiffClassifier load(Path weightsDir) throws IOException {
        ModelStore.Loaded loaded = ModelStore.load(weightsDir, false);
        return fromNetwork(loaded.network(), loaded.card());
    }

    @Override
    public List<String> parameterLayers() {
        return modules.stream().filter(VggSpec.Module::hasParams).map(VggSpec.Module::name).toList();
    }

    /** PyTorch's default for Conv2d and Linear: weight and bias from U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    @Override
    public SameDiffClassifier reinitialized(List<String> layers, long seed) {
        Map<String, INDArray> drawn = new LinkedHashMap<>(weights);
        SplittableRandom random = new SplittableRandom(seed);
        for (String layer : layers) {
            VggSpec.Module m = modules.stream().filter(module -> module.name().equals(layer) && module.hasParams()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + layer + "' is not a layer with parameters, expected one of "
                            + parameterLayers()));
            double bound = 1 / Math.sqrt(m.fanIn());
            for (String key : List.of(layer + ".weight", layer + ".bias")) {
                INDArray old = weights.get(key);
                double[] values = random.doubles(old.length(), -bound, bound).toArray();
                drawn.put(key, Nd4j.createFromArray(values).castTo(dataType).reshape(old.shape()));
            }
        }
        return new SameDiffClassifier(modules, drawn, normalization, classNames, inputChannels, inputSize, dataType);
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

    @Override
    public List<String> layerNames() {
        return layerNames;
    }

    @Override
    public synchronized INDArray logits(INDArray x) {
        INDArray input = checkedInput(x);
        Graph graph = gradientGraph(Score.LOGIT, false, input.size(0));
        return run(graph, Map.of(INPUT, input), graph.logits()).get(graph.logits());
    }

    @Override
    public synchronized INDArray scoreGradient(INDArray x, int[] classes, Score score) {
        INDArray input = checkedInput(x);
        Graph graph = gradientGraph(score, false, input.size(0));
        return run(graph, Map.of(INPUT, input, ONE_HOT, oneHot(classes, input.size(0))), graph.inputGradient())
                .get(graph.inputGradient());
    }

    @Override
    public synchronized Predicted<INDArray> predictedScoreGradient(INDArray x, Score score) {
        INDArray input = checkedInput(x);
        Graph graph = gradientGraph(score, true, input.size(0));
        Map<String, INDArray> out = run(graph, Map.of(INPUT, input), graph.logits(), graph.classes(), graph.inputGradient());
        return new Predicted<>(out.get(graph.logits()), out.get(graph.classes()).toIntVector(), out.get(graph.inputGradient()));
    }

    @Override
    public synchronized LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
        checkLayer(layer);
        INDArray input = checkedInput(x);
        Graph graph = gradientGraph(score, false, input.size(0));
        String activation = graph.activations().get(layer);
        String gradient = graph.gradients().get(layer);
        Map<String, INDArray> out = run(graph, Map.of(INPUT, input, ONE_HOT, oneHot(classes, input.size(0))), activation, gradient);
        return new LayerCapture(layer, out.get(activation), out.get(gradient));
    }

    @Override
    public synchronized Predicted<LayerCapture> predictedCapture(INDArray x, String layer, Score score) {
        checkLayer(layer);
        INDArray input = checkedInput(x);
        Graph graph = gradientGraph(score, true, input.size(0));
        String activation = graph.activations().get(layer);
        String gradient = graph.gradients().get(layer);
        Map<String, INDArray> out = run(graph, Map.of(INPUT, input), graph.logits(), graph.classes(), activation, gradient);
        return new Predicted<>(out.get(graph.logits()), out.get(graph.classes()).toIntVector(),
                new LayerCapture(layer, out.get(activation), out.get(gradient)));
    }

    /**
     * DeepLIFT (rescale rule) multipliers of the logit classes[i] with respect to the input, for each
     * pair (x_i, baseline_i): attributions are (x - baseline) * multipliers, and they sum to
     * logit(x_i) - logit(baseline_i) exactly (up to {@value #RESCALE_EPS}-sized terms). ReLUs use
     * (relu(z) - relu(z0)) / (z - z0); max-pools route the change of each window's maximum to the
     * position that holds it, Captum's rule: a rise through the input's arg-max, a fall through the
     * baseline's, which keeps the sum exact where a gradient pass-through would not.
     */
    public synchronized INDArray rescaleMultipliers(INDArray x, INDArray baseline, int[] classes) {
        INDArray input = checkedInput(x);
        INDArray reference = checkedInput(baseline);
        if (!Arrays.equals(input.shape(), reference.shape())) {
            throw new IllegalArgumentException("baseline shape " + Arrays.toString(reference.shape())
                    + " differs from input shape " + Arrays.toString(input.shape()));
        }
        if (rescaleGraph == null) {
            rescaleGraph = build(Score.LOGIT, true, false, false);
        }
        String multipliers = rescaleGraph.inputGradient();
        return run(rescaleGraph, Map.of(INPUT, input, BASELINE, reference, ONE_HOT, oneHot(classes, input.size(0))), multipliers)
                .get(multipliers);
    }

    /** The op names of the score's gradient graph for calls of that many rows: tests check that no weight gradient is computed. */
    synchronized List<String> gradientGraphOps(Score score, boolean predictedTarget, long rows) {
        return Arrays.stream(gradientGraph(score, predictedTarget, rows).sd().ops()).map(op -> op.opName()).toList();
    }

    private Graph gradientGraph(Score score, boolean predictedTarget, long rows) {
        return gradientGraphs.computeIfAbsent(new GraphKind(score, predictedTarget, rows == 1),
                kind -> build(kind.score(), false, kind.predictedTarget(), kind.singleRow()));
    }

    private void checkLayer(String layer) {
        if (!layerNames.contains(layer)) {
            throw new IllegalArgumentException("unknown layer '" + layer + "', expected one of " + layerNames);
        }
    }

    private Graph build(Score score, boolean rescale, boolean predictedTarget, boolean singleRow) {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, dataType, -1, inputChannels, inputSize, inputSize);
        Map<String, SDVariable> constants = new HashMap<>();
        Forward forward = forward(sd, input, constants, !rescale, singleRow);
        Forward reference = rescale
                ? forward(sd, sd.placeHolder(BASELINE, dataType, -1, inputChannels, inputSize, inputSize), constants, false, singleRow)
                : null;

        SDVariable logits = forward.outputs.get(modules.size() - 1);
        SDVariable classes = predictedTarget ? sd.argmax(logits, 1) : null;
        SDVariable oneHot = predictedTarget
                ? sd.oneHot(null, classes, numClasses(), -1, 1.0, 0.0, dataType)
                : sd.placeHolder(ONE_HOT, dataType, -1, numClasses());
        SDVariable g = switch (score) {
            case LOGIT -> oneHot;
            case PROBABILITY -> {
                SDVariable p = sd.nn().softmax(logits, 1);
                yield oneHot.sub(p).mul(oneHot.mul(p).sum(true, 1));
            }
            case LOG_PROBABILITY -> oneHot.sub(sd.nn().softmax(logits, 1));
        };

        Map<String, String> activations = new HashMap<>();
        Map<String, String> gradients = new HashMap<>();
        SDVariable throughPool = null;
        for (int i = modules.size() - 1; i >= 0; i--) {
            VggSpec.Module m = modules.get(i);
            boolean spatialModule = layerNames.contains(m.name());
            activations.put(m.name(), (spatialModule ? toChannelsFirst(sd, forward.outputs.get(i)) : forward.outputs.get(i)).name());
            gradients.put(m.name(), (spatialModule ? toChannelsFirst(sd, g) : g).name());
            SDVariable in = forward.inputs.get(i);
            g = switch (m.kind()) {
                case DROPOUT -> g;
                case LINEAR -> {
                    SDVariable gIn = g.mmul(linearWeight(sd, constants, m));
                    long[] spatialShape = forward.flattened.get(i);
                    yield spatialShape == null ? gIn : toChannelsLast(sd, gIn.reshape(spatialShape));
                }
                case CONV -> sd.cnn().conv2d(g, sd.constant(backwardKernel(weights.get(m.name() + ".weight"))), convConfig());
                case RELU -> rescale
                        ? g.mul(reluMultiplier(sd, in, reference.inputs.get(i)))
                        // step + mul, not the relu_bp op: that one took twice as long (6.9 vs 3.4 ms on 50x32x32x64 here)
                        : throughPool != null ? throughPool : g.mul(sd.math().step(in, 0.0));
                case MAXPOOL -> {
                    SDVariable pooledFirst = forward.pooledBeforeRelu.get(i);
                    if (pooledFirst != null) {
                        throughPool = poolDerivative(sd, forward.inputs.get(i - 1), g.mul(sd.math().step(pooledFirst, 0.0)));
                    }
                    yield rescale
                            ? maxPoolMultiplier(sd, in, forward.outputs.get(i), reference.inputs.get(i), reference.outputs.get(i), g)
                            : poolDerivative(sd, in, g);
                }
            };
            if (m.kind() == VggSpec.Kind.RELU) {
                throughPool = null;
            }
        }
        g = toChannelsFirst(sd, g);
        if (normalization != null) {
            g = g.div(constants.get("std"));
        }
        return new Graph(sd, logits.name(), classes == null ? null : classes.name(), g.name(), activations, gradients);
    }

    /**
     * Module inputs and outputs of one forward pass; flattened[i] is the [-1,C,h,w] shape a LINEAR
     * module flattened; pooledBeforeRelu[i] is, for a MAXPOOL module i computed as relu(maxpool(z)),
     * its maxpool(z).
     */
    private static final class Forward {
        final List<SDVariable> inputs = new ArrayList<>();
        final List<SDVariable> outputs = new ArrayList<>();
        final List<long[]> flattened = new ArrayList<>();
        final Map<Integer, SDVariable> pooledBeforeRelu = new HashMap<>();
    }

    /**
     * One forward pass; {@code constants} lets two passes in one graph share their weight arrays.
     *
     * <p>With {@code poolBeforeRelu}, a max-pool that follows a ReLU is computed as relu(maxpool(z)),
     * which equals maxpool(relu(z)) since ReLU is monotone: the forward ReLU and the backward ReLU mask
     * then run on a quarter of the elements, and the gradient reaching z is the same (the window's
     * arg-max of z is that of relu(z) wherever the maximum is positive, and the mask is zero elsewhere).
     * relu(z) itself is still the ReLU module's output, computed only when a caller asks for it.
     *
     * <p>A linear layer's forward product reads its [out,in] weight transposed in the op for a single
     * row, and a second, [in,out] copy for several: oneDNN's matmul with a transposed right operand ran
     * 4.5x slower here at 16-50 rows (7.2 against 1.6 ms for fc_layers.0 at 16), while for one row it
     * is slightly faster, and one copy of the weights (the backward product reads the same [out,in]
     * array) stays in this CPU's 32 MB L3 cache between calls where two do not: a single image's
     * gradient took 11.5 ms with one copy and 12.8 ms with two.
     */
    private Forward forward(SameDiff sd, SDVariable input, Map<String, SDVariable> constants, boolean poolBeforeRelu,
                            boolean singleRow) {
        Forward f = new Forward();
        SDVariable h = input;
        if (normalization != null) {
            h = h.sub(constants.computeIfAbsent("mean", k -> sd.constant(channelVector(normalization.mean()))))
                    .div(constants.computeIfAbsent("std", k -> sd.constant(channelVector(normalization.std()))));
        }
        boolean spatial = true;
        long channels = inputChannels;
        long size = inputSize;
        h = toChannelsLast(sd, h);
        for (int i = 0; i < modules.size(); i++) {
            VggSpec.Module m = modules.get(i);
            f.inputs.add(h);
            long[] flattenedFrom = null;
            if (m.kind() == VggSpec.Kind.CONV) {
                channels = m.out();
            } else if (m.kind() == VggSpec.Kind.MAXPOOL) {
                size /= 2;
            }
            h = switch (m.kind()) {
                case CONV -> sd.cnn().conv2d(h,
                        constants.computeIfAbsent(m.name() + ".weight", k -> sd.constant(forwardKernel(weights.get(k)))),
                        constants.computeIfAbsent(m.name() + ".bias", k -> sd.constant(weights.get(k))), convConfig());
                case RELU -> sd.nn().relu(h, 0);
                case MAXPOOL -> {
                    if (poolBeforeRelu && i > 0 && modules.get(i - 1).kind() == VggSpec.Kind.RELU) {
                        SDVariable pooled = sd.cnn().maxPooling2d(f.inputs.get(i - 1), poolConfig());
                        f.pooledBeforeRelu.put(i, pooled);
                        yield sd.nn().relu(pooled, 0);
                    }
                    yield sd.cnn().maxPooling2d(h, poolConfig());
                }
                case DROPOUT -> h;
                case LINEAR -> {
                    SDVariable flat = h;
                    if (spatial) {
                        if (channels * size * size != m.in()) {
                            throw new IllegalArgumentException(m.name() + ": expects " + m.in() + " inputs, the layer before gives "
                                    + channels + "x" + size + "x" + size);
                        }
                        flattenedFrom = new long[]{-1, channels, size, size};
                        flat = toChannelsFirst(sd, h).reshape(-1, m.in());
                        spatial = false;
                    }
                    // mmul + add rather than the fused xw_plus_b op: that one differs from DL4J by ~2e-4 in float
                    SDVariable product = singleRow
                            ? sd.mmul(flat, linearWeight(sd, constants, m), false, true, false)
                            : flat.mmul(constants.computeIfAbsent(m.name() + ".weight.T",
                                    k -> sd.constant(transposedWeights.computeIfAbsent(m.name(),
                                            name -> weights.get(name + ".weight").transpose().dup('c')))));
                    yield product.add(constants.computeIfAbsent(m.name() + ".bias", k -> sd.constant(weights.get(k))));
                }
            };
            f.flattened.add(flattenedFrom);
            f.outputs.add(h);
        }
        return f;
    }

    private SDVariable linearWeight(SameDiff sd, Map<String, SDVariable> constants, VggSpec.Module m) {
        return constants.computeIfAbsent(m.name() + ".weight", k -> sd.constant(weights.get(k)));
    }

    /** [N,C,H,W] to [N,H,W,C]: oneDNN's convolutions run ~20% faster on channels-last data here than on NCHW. */
    private static SDVariable toChannelsLast(SameDiff sd, SDVariable nchw) {
        return sd.permute(nchw, 0, 2, 3, 1);
    }

    private static SDVariable toChannelsFirst(SameDiff sd, SDVariable nhwc) {
        return sd.permute(nhwc, 0, 3, 1, 2);
    }

    private SDVariable reluMultiplier(SameDiff sd, SDVariable z, SDVariable z0) {
        SDVariable dz = z.sub(z0);
        SDVariable small = sd.math().abs(dz).lt(RESCALE_EPS).castTo(dataType);
        SDVariable ratio = sd.nn().relu(z, 0).sub(sd.nn().relu(z0, 0)).div(dz.add(small));
        return ratio.mul(small.rsub(1.0)).add(sd.math().step(z, 0.0).mul(small));
    }

    private SDVariable maxPoolMultiplier(SameDiff sd, SDVariable a, SDVariable p, SDVariable a0, SDVariable p0, SDVariable g) {
        SDVariable top = sd.math().max(p, p0);
        SDVariable rise = poolDerivative(sd, a, g.mul(top.sub(p0)));
        SDVariable fall = poolDerivative(sd, a0, g.mul(p.sub(top)));
        SDVariable da = a.sub(a0);
        SDVariable small = sd.math().abs(da).lt(RESCALE_EPS).castTo(dataType);
        return rise.add(fall).div(da.add(small)).mul(small.rsub(1.0)).add(poolDerivative(sd, a, g).mul(small));
    }

    private static SDVariable poolDerivative(SameDiff sd, SDVariable poolInput, SDVariable gradOut) {
        return Pooling2DDerivative.derivativeBuilder().sameDiff(sd).inputs(new SDVariable[]{poolInput, gradOut})
                .config(poolConfig()).build().outputVariable();
    }

    private static Conv2DConfig convConfig() {
        return Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1).dataFormat("NHWC").build();
    }

    private static Pooling2DConfig poolConfig() {
        return Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .type(Pooling2D.Pooling2DType.MAX).isNHWC(true).build();
    }

    /** PyTorch [out,in,kh,kw] to SameDiff's default YXIO [kh,kw,in,out]. */
    private static INDArray forwardKernel(INDArray w) {
        return w.permute(2, 3, 1, 0).dup('c');
    }

    /**
     * The kernel whose convolution (pad 1) is the input gradient: spatially flipped, in and out
     * swapped, in YXIO layout [kh,kw,out,in].
     */
    private static INDArray backwardKernel(INDArray w) {
        long kh = w.size(2);
        long kw = w.size(3);
        INDArray flipped = Nd4j.create(w.dataType(), w.shape());
        for (long y = 0; y < kh; y++) {
            for (long x = 0; x < kw; x++) {
                flipped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(kh - 1 - y), NDArrayIndex.point(kw - 1 - x))
                        .assign(w.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(y), NDArrayIndex.point(x)));
            }
        }
        return flipped.permute(2, 3, 0, 1).dup('c');
    }

    private INDArray channelVector(double[] values) {
        return Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length, 1, 1);
    }

    private static Map<String, INDArray> checkedWeights(List<VggSpec.Module> modules, Map<String, INDArray> weights,
                                                        DataType dataType) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (VggSpec.Module m : modules) {
            if (!m.hasParams()) {
                continue;
            }
            long[] weightShape = m.kind() == VggSpec.Kind.CONV ? new long[]{m.out(), m.in(), 3, 3} : new long[]{m.out(), m.in()};
            out.put(m.name() + ".weight", checked(weights, m.name() + ".weight", weightShape, dataType));
            out.put(m.name() + ".bias", checked(weights, m.name() + ".bias", new long[]{m.out()}, dataType));
        }
        return out;
    }

    private static INDArray checked(Map<String, INDArray> weights, String key, long[] shape, DataType dataType) {
        INDArray value = weights.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing weight '" + key + "'");
        }
        if (!Arrays.equals(value.shape(), shape)) {
            throw new IllegalArgumentException("weight '" + key + "' has shape " + Arrays.toString(value.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return value.castTo(dataType).dup('c');
    }

    private INDArray checkedInput(INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        long[] s = x.shape();
        if (s.length != 4 || s[0] == 0 || s[1] != inputChannels || s[2] != inputSize || s[3] != inputSize) {
            throw new IllegalArgumentException("input must be [N," + inputChannels + "," + inputSize + "," + inputSize
                    + "] with N > 0, got " + Arrays.toString(s));
        }
        return x.dataType() == dataType && x.ordering() == 'c' ? x : x.castTo(dataType).dup('c');
    }

    private INDArray oneHot(int[] classes, long n) {
        if (classes == null || classes.length != n) {
            throw new IllegalArgumentException("classes: need one class per image (" + n + "), got "
                    + (classes == null ? "null" : String.valueOf(classes.length)));
        }
        INDArray oneHot = Nd4j.zeros(dataType, n, numClasses());
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= numClasses()) {
                throw new IllegalArgumentException("target class must be in 0.." + (numClasses() - 1) + ", got " + classes[i]);
            }
            oneHot.putScalar(i, classes[i], 1.0);
        }
        return oneHot;
    }

    /** Runs the graph on at most {@value #MAX_ROWS} rows of every input at a time and stacks each output's parts. */
    private static Map<String, INDArray> run(Graph graph, Map<String, INDArray> inputs, String... outputs) {
        long n = inputs.get(INPUT).size(0);
        Map<String, List<INDArray>> parts = new HashMap<>();
        for (long start = 0; start < n; start += MAX_ROWS) {
            long from = start;
            long to = Math.min(n, start + MAX_ROWS);
            Map<String, INDArray> chunk = new HashMap<>();
            inputs.forEach((name, value) -> chunk.put(name, rows(value, from, to)));
            graph.sd().output(chunk, outputs).forEach((name, value) -> parts.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
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
