package org.xaiworkbench.model.io.dl4j;

import org.xaiworkbench.model.graph.Activation;
import org.xaiworkbench.model.graph.Add;
import org.xaiworkbench.model.graph.Affine;
import org.xaiworkbench.model.graph.Concat;
import org.xaiworkbench.model.graph.Conv;
import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.GlobalAveragePool;
import org.xaiworkbench.model.graph.Identity;
import org.xaiworkbench.model.graph.Pool;
import org.xaiworkbench.model.graph.ZeroPad;

import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Pooling2D;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.data.DataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * DL4J networks (MultiLayerNetwork, ComputationGraph) as {@link LayerGraph}s with the same weights,
 * in inference mode, ending in the output layer's pre-activation (the logits before softmax).
 *
 * <p>A layer with an activation becomes two nodes: {@code <layer>/preactivation} and the activation
 * named {@code <layer>}, so a DL4J layer name means what DL4J's activations of that layer mean.
 * Networks holding layers outside the supported set give the list of those layers instead of a
 * graph, for the caller to fall back on DL4J itself.
 *
 * <p>DL4J 1.0.0-M2.1 does not keep the input type in a saved configuration; the input size is
 * known from it only when the first layer flattens images with a FeedForwardToCnnPreProcessor.
 * Otherwise the caller gives channels, height and width.
 */
public final class Dl4jGraphs {
    private static final String PREACTIVATION = "/preactivation";
    private static final String FLATTEN = "/flatten";
    private static final String POOL = "/pool";

    /**
     * Either the graph, or the layers that keep the network from being one, each as
     * "name (DL4J class)" or "name (DL4J class: why)".
     */
    public record Conversion(LayerGraph graph, List<String> unsupported) {
        public Conversion {
            unsupported = List.copyOf(unsupported);
            if ((graph == null) == unsupported.isEmpty()) {
                throw new IllegalArgumentException("a conversion holds either a graph or the layers that prevented it");
            }
        }

        public boolean converted() {
            return graph != null;
        }
    }

    private Dl4jGraphs() {
    }

    /**
     * A ModelSerializer zip holding either kind of network; the result is a MultiLayerNetwork or a ComputationGraph.
     * Entries that are not read (a serialized preprocessor, a normalizer) are named on standard error.
     */
    public static Model load(Path zip) {
        return load(zip, System.err::println);
    }

    /** As {@link #load(Path)}, with the warnings about entries that are not read going to {@code warnings}. */
    public static Model load(Path zip, Consumer<String> warnings) {
        return Dl4jZipReader.read(zip, false, warnings);
    }

    /** Either kind, with the input size recorded in its configuration. */
    public static Conversion convert(Model network) {
        if (network instanceof MultiLayerNetwork net) {
            return convert(net);
        }
        if (network instanceof ComputationGraph graph) {
            return convert(graph);
        }
        throw new IllegalArgumentException(kind(network) + " is neither a MultiLayerNetwork nor a ComputationGraph");
    }

    /** Either kind, for images of the given size. */
    public static Conversion convert(Model network, int channels, int height, int width) {
        if (network instanceof MultiLayerNetwork net) {
            return convert(net, channels, height, width);
        }
        if (network instanceof ComputationGraph graph) {
            return convert(graph, channels, height, width);
        }
        throw new IllegalArgumentException(kind(network) + " is neither a MultiLayerNetwork nor a ComputationGraph");
    }

    public static Conversion convert(MultiLayerNetwork net) {
        long[] size = flatImageSize(net.getLayerWiseConfigurations().getInputPreProcess(0));
        if (size == null) {
            throw notRecorded("MultiLayerNetwork");
        }
        return convert(net, (int) size[0], (int) size[1], (int) size[2]);
    }

    public static Conversion convert(MultiLayerNetwork net, int channels, int height, int width) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        checkRecordedSize(flatImageSize(conf.getInputPreProcess(0)), channels, height, width);
        Translation t = new Translation(channels, height, width);
        int count = conf.getConfs().size();
        String previous = LayerGraph.INPUT;
        for (int i = 0; i < count; i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = layer.getLayerName() == null ? "layer" + i : layer.getLayerName();
            org.deeplearning4j.nn.api.Layer runtime = net.getLayer(i);
            t.layer(name, layer, conf.getInputPreProcess(i), runtime::getParam, previous, i == count - 1);
            previous = name;
        }
        return t.result(previous);
    }

    public static Conversion convert(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        String input = singleInput(conf);
        long[] size = null;
        for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
            if (entry.getValue().contains(input) && size == null) {
                size = flatImageSize(preProcessorOf(conf.getVertices().get(entry.getKey())));
            }
        }
        if (size == null) {
            throw notRecorded("ComputationGraph");
        }
        return convert(graph, (int) size[0], (int) size[1], (int) size[2]);
    }

    public static Conversion convert(ComputationGraph graph, int channels, int height, int width) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        String input = singleInput(conf);
        if (conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("a ComputationGraph with " + conf.getNetworkOutputs().size() + " outputs "
                    + conf.getNetworkOutputs() + ": only networks with one output (the logits) are supported");
        }
        String output = conf.getNetworkOutputs().get(0);
        for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
            if (entry.getValue().contains(input)) {
                checkRecordedSize(flatImageSize(preProcessorOf(conf.getVertices().get(entry.getKey()))), channels, height, width);
            }
        }
        Translation t = new Translation(channels, height, width);
        t.alias(input);
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            String name = vertices[index].getVertexName();
            if (name.equals(input)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> inputs = conf.getVertexInputs().get(name);
            if (vertex instanceof LayerVertex layerVertex) {
                org.deeplearning4j.nn.api.Layer runtime = graph.getLayer(name);
                t.layer(name, layerVertex.getLayerConf().getLayer(), layerVertex.getPreProcessor(), runtime::getParam, inputs.get(0),
                        name.equals(output));
            } else {
                t.vertex(name, vertex, inputs, name.equals(output));
            }
        }
        return t.result(output);
    }

    /**
     * The per-channel map a DL4J batch normalization layer applies in inference: its running mean and
     * variance (or log10 standard deviation), and gamma and beta from its parameters or, when locked,
     * its configuration.
     */
    public static Affine batchNormalization(BatchNormalization bn, Function<String, INDArray> param) {
        long n = bn.getNOut();
        INDArray mean = param.apply("mean").reshape(n);
        INDArray variance;
        if (bn.isUseLogStd()) {
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(new long[]{n}, 10.0, mean.dataType()), param.apply("log10stdev").reshape(n), false);
            variance = std.muli(std);
        } else {
            variance = param.apply("var").reshape(n);
        }
        INDArray gamma = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[]{n}, bn.getGamma(), mean.dataType()) : param.apply("gamma").reshape(n);
        INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[]{n}, bn.getBeta(), mean.dataType()) : param.apply("beta").reshape(n);
        return Affine.batchNorm(gamma, beta, mean, variance, bn.getEps());
    }

    private static String singleInput(ComputationGraphConfiguration conf) {
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("a ComputationGraph with " + conf.getNetworkInputs().size() + " inputs "
                    + conf.getNetworkInputs() + ": only networks with one image input are supported");
        }
        return conf.getNetworkInputs().get(0);
    }

    private static InputPreProcessor preProcessorOf(GraphVertex vertex) {
        if (vertex instanceof LayerVertex layerVertex) {
            return layerVertex.getPreProcessor();
        }
        return vertex instanceof PreprocessorVertex preprocessorVertex ? preprocessorVertex.getPreProcessor() : null;
    }

    /** [C,H,W] of a preprocessor that makes images of flat input vectors, else null. */
    private static long[] flatImageSize(InputPreProcessor preProcessor) {
        if (preProcessor instanceof FeedForwardToCnnPreProcessor p && p.getNumChannels() > 0) {
            return new long[]{p.getNumChannels(), p.getInputHeight(), p.getInputWidth()};
        }
        return null;
    }

    private static void checkRecordedSize(long[] recorded, int channels, int height, int width) {
        if (recorded != null && !Arrays.equals(recorded, new long[]{channels, height, width})) {
            throw new IllegalArgumentException("the network's configuration records " + recorded[0] + "x" + recorded[1] + "x" + recorded[2]
                    + " input images, not the " + channels + "x" + height + "x" + width + " given");
        }
    }

    private static IllegalArgumentException notRecorded(String kind) {
        return new IllegalArgumentException("the input size of this " + kind + " is not recorded in its configuration;"
                + " give channels, height and width");
    }

    private static String kind(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    /** Why a supported kind of layer cannot be converted in the way it is configured; null when its class alone is the reason. */
    private static final class Unsupported extends Exception {
        Unsupported(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The nodes made so far, which node holds each DL4J layer's output, and DL4J's own type of that output. */
    private static final class Translation {
        private final int channels;
        private final int height;
        private final int width;
        private final List<LayerGraph.Node> nodes = new ArrayList<>();
        private final List<String> unsupported = new ArrayList<>();
        private final Map<String, String> outputs = new HashMap<>();
        private final Map<String, InputType> types = new HashMap<>();
        /** Softmax activation layers, taken as the identity: allowed only right before the network's LossLayer output. */
        private final Set<String> softmaxes = new HashSet<>();

        Translation(int channels, int height, int width) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            outputs.put(LayerGraph.INPUT, LayerGraph.INPUT);
            types.put(LayerGraph.INPUT, InputType.convolutional(height, width, channels));
        }

        /** A ComputationGraph's input vertex, which is the graph's {@link LayerGraph#INPUT}. */
        void alias(String networkInput) {
            outputs.put(networkInput, LayerGraph.INPUT);
            types.put(networkInput, types.get(LayerGraph.INPUT));
        }

        void layer(String name, Layer layer, InputPreProcessor preProcessor, Function<String, INDArray> param, String input,
                   boolean networkOutput) {
            String from = outputs.get(input);
            InputType type = types.get(input);
            if (preProcessor != null) {
                boolean imageAtInput = from.equals(LayerGraph.INPUT) && flatImageSize(preProcessor) != null;
                if (!imageAtInput) {
                    try {
                        from = preprocess(name + FLATTEN, preProcessor, from, type);
                    } catch (Unsupported e) {
                        refuse(name, "input preprocessor " + preProcessor.getClass().getSimpleName(), e);
                    }
                    type = outputType(name, () -> preProcessor.getOutputType(types.get(input)));
                }
            }
            Layer inner = unwrapFrozen(layer);
            try {
                translate(name, inner, param, from, type, networkOutput);
            } catch (Unsupported e) {
                refuse(name, inner.getClass().getSimpleName(), e);
            }
            outputs.put(name, name);
            InputType in = type;
            types.put(name, outputType(name, () -> inner.getOutputType(-1, in)));
        }

        void vertex(String name, GraphVertex vertex, List<String> inputs, boolean networkOutput) {
            List<String> from = inputs.stream().map(outputs::get).toList();
            InputType[] in = inputs.stream().map(types::get).toArray(InputType[]::new);
            try {
                if (networkOutput) {
                    throw new Unsupported("the network's output must be an OutputLayer");
                }
                translateVertex(name, vertex, from, in);
            } catch (Unsupported e) {
                refuse(name, vertex.getClass().getSimpleName(), e);
            }
            outputs.put(name, name);
            types.put(name, outputType(name, () -> vertex.getOutputType(-1, in)));
        }

        private void refuse(String name, String what, Unsupported reason) {
            unsupported.add(name + " (" + what + (reason.getMessage() == null ? "" : ": " + reason.getMessage()) + ")");
        }

        Conversion result(String output) {
            // the logits are a final softmax's input: explanations are of logits, as for an OutputLayer
            softmaxes.remove(outputs.get(output));
            softmaxes.forEach(name -> unsupported.add(name + " (ActivationLayer: softmax inside the network; only right before the "
                    + "output LossLayer)"));
            if (!unsupported.isEmpty()) {
                return new Conversion(null, unsupported);
            }
            return new Conversion(new LayerGraph(channels, height, width, neededFor(outputs.get(output))), List.of());
        }

        /** The nodes the output depends on, in the order made: a ComputationGraph may have branches that lead nowhere. */
        private List<LayerGraph.Node> neededFor(String output) {
            Map<String, LayerGraph.Node> byName = new HashMap<>();
            nodes.forEach(node -> byName.put(node.name(), node));
            Set<String> needed = new HashSet<>();
            Deque<String> pending = new ArrayDeque<>(List.of(output));
            while (!pending.isEmpty()) {
                String name = pending.pop();
                LayerGraph.Node node = byName.get(name);
                if (node != null && needed.add(name)) {
                    pending.addAll(node.inputs());
                }
            }
            List<LayerGraph.Node> kept = new ArrayList<>(nodes.stream().filter(node -> needed.contains(node.name())).toList());
            LayerGraph.Node last = byName.get(output);
            kept.remove(last);
            kept.add(last);
            return kept;
        }

        private interface TypeComputation {
            InputType get();
        }

        private static InputType outputType(String name, TypeComputation computation) {
            try {
                return computation.get();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ": DL4J cannot compute this layer's output for the input size given ("
                        + DataException.firstLine(e) + ")", e);
            }
        }

        private static Layer unwrapFrozen(Layer layer) {
            while (true) {
                if (layer instanceof FrozenLayer frozen) {
                    layer = frozen.getLayer();
                } else if (layer instanceof FrozenLayerWithBackprop frozen) {
                    layer = frozen.getUnderlying();
                } else {
                    return layer;
                }
            }
        }

        private void add(String name, LayerOp op, List<String> inputs) {
            nodes.add(new LayerGraph.Node(name, op, inputs));
        }

        private void add(String name, LayerOp op, String input) {
            add(name, op, List.of(input));
        }

        /** The op, then the activation named after the layer; the op alone takes the name when the activation is the identity. */
        private void addWithActivation(String name, LayerOp op, String input, IActivation activationFn) throws Unsupported {
            Activation activation = activation(activationFn);
            if (activation == null) {
                add(name, op, input);
            } else {
                add(name + PREACTIVATION, op, input);
                add(name, activation, name + PREACTIVATION);
            }
        }

        private String preprocess(String name, InputPreProcessor preProcessor, String from, InputType in) throws Unsupported {
            if (preProcessor.getClass() != CnnToFeedForwardPreProcessor.class) {
                throw new Unsupported(null);
            }
            CnnToFeedForwardPreProcessor flatten = (CnnToFeedForwardPreProcessor) preProcessor;
            InputType.InputTypeConvolutional image = image(in);
            if (flatten.getFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported("NHWC data format; only NCHW is supported");
            }
            long[] expected = {flatten.getNumChannels(), flatten.getInputHeight(), flatten.getInputWidth()};
            long[] actual = {image.getChannels(), image.getHeight(), image.getWidth()};
            if (expected[0] > 0 && !Arrays.equals(expected, actual)) {
                throw new IllegalArgumentException(name + ": flattens " + expected[0] + "x" + expected[1] + "x" + expected[2]
                        + " activations, the input size given makes them " + actual[0] + "x" + actual[1] + "x" + actual[2]);
            }
            add(name, new Flatten(), from);
            return name;
        }

        private void translate(String name, Layer layer, Function<String, INDArray> param, String from, InputType in,
                               boolean networkOutput) throws Unsupported {
            Class<?> kind = layer.getClass();
            if (networkOutput && kind != OutputLayer.class && kind != LossLayer.class) {
                throw new Unsupported(kind == DenseLayer.class ? "the network must end in an OutputLayer" : null);
            }
            if (kind == ConvolutionLayer.class || kind == Convolution2D.class) {
                convolution(name, (ConvolutionLayer) layer, param, from, in);
            } else if (kind == BatchNormalization.class) {
                batchNormalizationLayer(name, (BatchNormalization) layer, param, from, in);
            } else if (kind == ActivationLayer.class && ((ActivationLayer) layer).getActivationFn() instanceof ActivationSoftmax) {
                add(name, new Identity(), from);
                softmaxes.add(name);
            } else if (kind == ActivationLayer.class) {
                Activation activation = activation(((ActivationLayer) layer).getActivationFn());
                add(name, activation == null ? new Identity() : activation, from);
            } else if (kind == LossLayer.class) {
                IActivation activation = ((LossLayer) layer).getActivationFn();
                if (!networkOutput || !(activation instanceof ActivationSoftmax) && !(activation instanceof ActivationIdentity)) {
                    throw new Unsupported("a LossLayer must be the network's output, with softmax or identity");
                }
                add(name, new Identity(), from);
                softmaxes.remove(from);
            } else if (kind == ZeroPaddingLayer.class) {
                image(in);
                int[] padding = ((ZeroPaddingLayer) layer).getPadding();
                add(name, new ZeroPad(padding[0], padding[1], padding[2], padding[3]), from);
            } else if (kind == SubsamplingLayer.class || kind == Pooling2D.class) {
                pooling(name, (SubsamplingLayer) layer, from, in);
            } else if (kind == GlobalPoolingLayer.class) {
                globalPooling(name, (GlobalPoolingLayer) layer, from, in);
            } else if (kind == DenseLayer.class) {
                DenseLayer dense = (DenseLayer) layer;
                vector(in);
                if (dense.hasLayerNorm()) {
                    throw new Unsupported("layer normalization");
                }
                addWithActivation(name, denseOp(param, dense.hasBias()), from, dense.getActivationFn());
            } else if (kind == OutputLayer.class) {
                OutputLayer output = (OutputLayer) layer;
                if (!networkOutput) {
                    throw new Unsupported("an OutputLayer must be the network's output");
                }
                vector(in);
                IActivation activation = output.getActivationFn();
                if (!(activation instanceof ActivationSoftmax) && !(activation instanceof ActivationIdentity)) {
                    throw new Unsupported("output activation " + activation + "; logits are taken before softmax or identity only");
                }
                add(name, denseOp(param, output.hasBias()), from);
            } else if (kind == DropoutLayer.class) {
                add(name, new Identity(), from);
            } else {
                throw new Unsupported(null);
            }
        }

        private void translateVertex(String name, GraphVertex vertex, List<String> from, InputType[] in) throws Unsupported {
            Class<?> kind = vertex.getClass();
            if (kind == ElementWiseVertex.class) {
                ElementWiseVertex.Op op = ((ElementWiseVertex) vertex).getOp();
                if (op != ElementWiseVertex.Op.Add) {
                    throw new Unsupported("operation " + op + "; only Add is supported");
                }
                add(name, from.size() > 1 ? new Add() : new Identity(), from);
            } else if (kind == MergeVertex.class) {
                if (((MergeVertex) vertex).getMergeAxis() != 1) {
                    throw new Unsupported("merge axis " + ((MergeVertex) vertex).getMergeAxis() + "; only the channel axis 1 is supported");
                }
                for (InputType type : in) {
                    if (type instanceof InputType.InputTypeConvolutional) {
                        image(type);
                    }
                }
                add(name, from.size() > 1 ? new Concat() : new Identity(), from);
            } else if (kind == PreprocessorVertex.class) {
                InputPreProcessor preProcessor = ((PreprocessorVertex) vertex).getPreProcessor();
                if (from.get(0).equals(LayerGraph.INPUT) && flatImageSize(preProcessor) != null) {
                    add(name, new Identity(), from);
                } else {
                    preprocess(name, preProcessor, from.get(0), in[0]);
                }
            } else {
                throw new Unsupported(null);
            }
        }

        private void convolution(String name, ConvolutionLayer conv, Function<String, INDArray> param, String from, InputType in)
                throws Unsupported {
            InputType.InputTypeConvolutional image = image(in);
            if (conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported("NHWC data format; only NCHW is supported");
            }
            int[] kernel = conv.getKernelSize();
            int[] stride = conv.getStride();
            int[] dilation = conv.getDilation();
            int[] pad = padding(conv.getConvolutionMode(), conv.getPadding(), kernel, stride, dilation, image);
            INDArray bias = conv.hasBias() ? param.apply("b").reshape(conv.getNOut()).dup() : null;
            Conv op = new Conv(param.apply("W").dup(), bias, stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1]);
            addWithActivation(name, op, from, conv.getActivationFn());
        }

        private void batchNormalizationLayer(String name, BatchNormalization bn, Function<String, INDArray> param, String from, InputType in)
                throws Unsupported {
            if (in instanceof InputType.InputTypeConvolutional) {
                image(in);
                if (bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
                    throw new Unsupported("NHWC data format; only NCHW is supported");
                }
            } else {
                vector(in);
            }
            // DL4J 1.0.0-M2.1 never applies a BatchNormalization layer's configured activation, so neither does the graph
            add(name, Dl4jGraphs.batchNormalization(bn, param), from);
        }

        private void pooling(String name, SubsamplingLayer pool, String from, InputType in) throws Unsupported {
            InputType.InputTypeConvolutional image = image(in);
            if (pool.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported("NHWC data format; only NCHW is supported");
            }
            PoolingType type = pool.getPoolingType();
            if (type != PoolingType.MAX && type != PoolingType.AVG) {
                throw new Unsupported(type + " pooling; only MAX and AVG are supported");
            }
            int[] dilation = pool.getDilation();
            if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
                throw new Unsupported("dilated pooling");
            }
            int[] kernel = pool.getKernelSize();
            int[] stride = pool.getStride();
            int[] pad = padding(pool.getConvolutionMode(), pool.getPadding(), kernel, stride, new int[]{1, 1}, image);
            boolean average = type == PoolingType.AVG;
            add(name, new Pool(average ? Pool.Mode.AVERAGE : Pool.Mode.MAX, kernel[0], kernel[1], stride[0], stride[1],
                    pad[0], pad[1], average && pool.isAvgPoolIncludePadInDivisor()), from);
        }

        private void globalPooling(String name, GlobalPoolingLayer pool, String from, InputType in) throws Unsupported {
            image(in);
            if (pool.getPoolingType() != PoolingType.AVG) {
                throw new Unsupported("global " + pool.getPoolingType() + " pooling; only AVG is supported");
            }
            int[] dimensions = pool.getPoolingDimensions();
            if (dimensions != null && !Arrays.equals(dimensions, new int[]{2, 3})) {
                throw new Unsupported("pooling over dimensions " + Arrays.toString(dimensions) + "; only height and width are supported");
            }
            if (pool.isCollapseDimensions()) {
                // DL4J gives [N,C] here, the graph's global pool [N,C,1,1]
                add(name + POOL, new GlobalAveragePool(), from);
                add(name, new Flatten(), name + POOL);
            } else {
                add(name, new GlobalAveragePool(), from);
            }
        }

        /** DL4J keeps dense weights as [in,out]. */
        private static Dense denseOp(Function<String, INDArray> param, boolean hasBias) {
            INDArray weight = param.apply("W").transpose().dup('c');
            INDArray bias = hasBias ? param.apply("b").reshape(weight.size(0)).dup() : null;
            return new Dense(weight, bias);
        }

        /**
         * The symmetric padding DL4J applies. In Same mode DL4J pads (total / 2) before and the rest after,
         * which the graph can only express when both are equal.
         */
        private static int[] padding(ConvolutionMode mode, int[] configured, int[] kernel, int[] stride, int[] dilation,
                                     InputType.InputTypeConvolutional image) throws Unsupported {
            if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
                return configured;
            }
            if (mode != ConvolutionMode.Same) {
                throw new Unsupported("convolution mode " + mode);
            }
            long[] size = {image.getHeight(), image.getWidth()};
            int[] pad = new int[2];
            for (int i = 0; i < 2; i++) {
                long out = (size[i] + stride[i] - 1) / stride[i];
                long total = (out - 1) * stride[i] + (long) (kernel[i] - 1) * dilation[i] + 1 - size[i];
                long before = total / 2;
                long after = (total + 1) / 2;
                if (before != after) {
                    throw new Unsupported("Same mode pads " + before + " before and " + after + " after on a " + size[i]
                            + "-pixel input; only even padding is supported");
                }
                pad[i] = (int) Math.max(before, 0);
            }
            return pad;
        }

        private static InputType.InputTypeConvolutional image(InputType in) throws Unsupported {
            if (!(in instanceof InputType.InputTypeConvolutional image)) {
                throw new Unsupported("needs an image input, gets " + in);
            }
            if (image.getFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported("NHWC data format; only NCHW is supported");
            }
            return image;
        }

        private static void vector(InputType in) throws Unsupported {
            if (!(in instanceof InputType.InputTypeFeedForward)) {
                throw new Unsupported("needs a vector input, gets " + in);
            }
        }

        /** The graph's activation for a DL4J activation function; null for the identity. */
        private static Activation activation(IActivation fn) throws Unsupported {
            Class<?> kind = fn.getClass();
            if (kind == ActivationIdentity.class) {
                return null;
            }
            if (kind == ActivationReLU.class) {
                ActivationReLU relu = (ActivationReLU) fn;
                boolean plain = relu.getMax() == null && (relu.getThreshold() == null || relu.getThreshold() == 0);
                double slope = relu.getNegativeSlope() == null ? 0 : relu.getNegativeSlope();
                if (!plain) {
                    throw new Unsupported("activation " + fn + " with a maximum or threshold");
                }
                return slope == 0 ? Activation.relu() : new Activation(Activation.Function.LEAKY_RELU, slope);
            }
            if (kind == ActivationLReLU.class) {
                return new Activation(Activation.Function.LEAKY_RELU, ((ActivationLReLU) fn).getAlpha());
            }
            if (kind == ActivationELU.class) {
                return new Activation(Activation.Function.ELU, ((ActivationELU) fn).getAlpha());
            }
            if (kind == ActivationReLU6.class) {
                return new Activation(Activation.Function.CLIP, 0, 6);
            }
            if (kind == ActivationSigmoid.class) {
                return new Activation(Activation.Function.SIGMOID, 0);
            }
            if (kind == ActivationTanH.class) {
                return new Activation(Activation.Function.TANH, 0);
            }
            throw new Unsupported("activation " + fn);
        }
    }
}
