package org.xaiworkbench.model.io.dl4j;

import org.xaiworkbench.model.graph.Affine;

import org.xaiworkbench.model.ClassifierArguments;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.data.Normalization;
import org.xaiworkbench.model.graph.LayerOp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DL4J network as a classifier through DL4J itself: the fallback for networks that
 * {@link Dl4jGraphs} cannot turn into a layer graph. Logits are the output layer's pre-activation in
 * inference mode; input gradients come from DL4J's own backprop. Layer captures are not offered.
 *
 * <p>DL4J backpropagates only through a training-mode forward pass, so the network runs as a copy
 * whose training mode computes what inference computes: dropout and weight noise removed, each
 * batch normalization replaced by its running-statistics map (a 1x1 depthwise convolution for images,
 * an element-wise multiplication layer for vectors), the output activation made the identity and the
 * loss made one whose gradient with respect to the logits is minus the score's.
 *
 * <p>Calls are synchronized: DL4J networks hold their inputs and labels as state.
 */
public final class Dl4jBackpropClassifier implements ImageClassifier {
    private final String name;
    private final Model network;
    private final ScoreLoss loss = new ScoreLoss();
    private final InputGradientListener inputGradient = new InputGradientListener();
    private final long[] inputShape;
    private final Normalization normalization;
    private final List<String> classNames;
    private final List<String> forcedBy;

    /**
     * @param name          the model, for messages (e.g. its file)
     * @param network       a MultiLayerNetwork or ComputationGraph with one image input and one output layer
     * @param normalization per-channel normalization applied before the network; null for none
     * @param classNames    one name per output
     */
    public Dl4jBackpropClassifier(String name, Model network, int channels, int height, int width, Normalization normalization,
                                  List<String> classNames) {
        if (normalization != null && normalization.mean().length != channels) {
            throw new IllegalArgumentException(name + ": normalization has " + normalization.mean().length + " channels, the input has "
                    + channels);
        }
        this.name = name;
        this.inputShape = new long[]{channels, height, width};
        this.normalization = normalization;
        this.classNames = List.copyOf(classNames);
        this.forcedBy = Dl4jGraphs.convert(network, channels, height, width).unsupported();
        InputType image = InputType.convolutional(height, width, channels);
        if (network instanceof MultiLayerNetwork net) {
            this.network = inferenceCopy(net, image);
        } else if (network instanceof ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
                throw new IllegalArgumentException(name + ": a ComputationGraph with inputs " + conf.getNetworkInputs() + " and outputs "
                        + conf.getNetworkOutputs() + "; only one image input and one output are supported");
            }
            ComputationGraph copy = inferenceCopy(graph, image);
            copy.setListeners(inputGradient);
            this.network = copy;
        } else {
            throw new IllegalArgumentException(name + ": " + network.getClass().getSimpleName()
                    + " is neither a MultiLayerNetwork nor a ComputationGraph");
        }
        long outputs = outputLayer().getNOut();
        if (classNames.size() != outputs) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + outputs + " outputs");
        }
        outputLayer().setActivationFn(new ActivationIdentity());
        outputLayer().setLossFn(loss);
    }

    @Override
    public int[] inputShape() {
        return new int[]{(int) inputShape[0], (int) inputShape[1], (int) inputShape[2]};
    }

    /** The layers (as "name (DL4J class)") that keep the network from being a layer graph. */
    public List<String> forcedBy() {
        return forcedBy;
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** None: layer captures need the layer graph. */
    @Override
    public List<String> layerNames() {
        return List.of();
    }

    @Override
    public synchronized INDArray logits(INDArray x) {
        INDArray input = normalized(checkedInput(x));
        return network instanceof MultiLayerNetwork net ? net.output(input, false) : ((ComputationGraph) network).outputSingle(false, input);
    }

    @Override
    public synchronized INDArray scoreGradient(INDArray x, int[] classes, Score score) {
        INDArray pixels = checkedInput(x);
        INDArray input = normalized(pixels);
        INDArray oneHot = ClassifierArguments.oneHot(classes, input.size(0), numClasses(), input.dataType());
        loss.score = score;
        INDArray lossGradient;
        if (network instanceof MultiLayerNetwork net) {
            Pair<?, INDArray> gradients = net.calculateGradients(input, oneHot, null, null);
            lossGradient = gradients.getSecond();
        } else {
            ComputationGraph graph = (ComputationGraph) network;
            graph.setInputs(input);
            graph.setLabels(oneHot);
            graph.computeGradientAndScore();
            lossGradient = inputGradient.gradient;
            graph.clear();
        }
        // the loss is minus the score; pixel = normalized * std + mean
        INDArray gradient = lossGradient.reshape(pixels.shape()).neg();
        if (normalization != null) {
            INDArray std = Nd4j.createFromArray(normalization.std()).castTo(gradient.dataType()).reshape(1, inputShape[0], 1, 1);
            gradient.divi(std.broadcast(gradient.shape()));
        }
        return gradient;
    }

    @Override
    public LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
        throw noCapture();
    }

    @Override
    public WithLogits<LayerCapture> captureWithLogits(INDArray x, String layer, int[] classes, Score score) {
        throw noCapture();
    }

    private UnsupportedOperationException noCapture() {
        return new UnsupportedOperationException(name + ": layer activations and their gradients need the layer graph; "
                + "these layers forced the DL4J fallback: " + (forcedBy.isEmpty() ? "none" : String.join(", ", forcedBy)));
    }

    private BaseOutputLayer outputLayer() {
        Layer output = network instanceof MultiLayerNetwork net ? net.getOutputLayer() : ((ComputationGraph) network).getOutputLayer(0);
        if (!(output.conf().getLayer() instanceof BaseOutputLayer layer)) {
            throw new IllegalArgumentException(name + ": the network must end in an output layer, it ends in "
                    + output.conf().getLayer().getClass().getSimpleName());
        }
        return layer;
    }

    private INDArray checkedInput(INDArray x) {
        try {
            return ClassifierArguments.images(x, inputShape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** In the network's data type, normalized. */
    private INDArray normalized(INDArray pixels) {
        INDArray input = pixels.castTo(network.params().dataType()).dup('c');
        return normalization == null ? input : normalization.applyInPlace(input);
    }

    private static MultiLayerNetwork inferenceCopy(MultiLayerNetwork net, InputType image) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        List<InputType> outputs = net.getLayerWiseConfigurations().getLayerActivationTypes(image);
        for (int i = 0; i < conf.getConfs().size(); i++) {
            InputType in = inputType(conf.getInputPreProcess(i), i == 0 ? image : outputs.get(i - 1));
            NeuralNetConfiguration layerConf = conf.getConf(i);
            layerConf.setLayer(inferenceEquivalent(layerConf.getLayer(), in));
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            copyParameters(net.getLayer(i), copy.getLayer(i));
        }
        return copy;
    }

    private static ComputationGraph inferenceCopy(ComputationGraph graph, InputType image) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        Map<String, InputType> outputs = new HashMap<>();
        outputs.put(conf.getNetworkInputs().get(0), image);
        List<String> layers = new ArrayList<>();
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            String vertexName = vertices[index].getVertexName();
            GraphVertex vertex = conf.getVertices().get(vertexName);
            if (vertex == null) {
                continue;
            }
            InputType[] in = conf.getVertexInputs().get(vertexName).stream().map(outputs::get).toArray(InputType[]::new);
            if (vertex instanceof LayerVertex layerVertex) {
                InputType layerInput = inputType(layerVertex.getPreProcessor(), in[0]);
                org.deeplearning4j.nn.conf.layers.Layer original = layerVertex.getLayerConf().getLayer();
                outputs.put(vertexName, original.getOutputType(-1, layerInput));
                layerVertex.getLayerConf().setLayer(inferenceEquivalent(original, layerInput));
                layers.add(vertexName);
            } else {
                outputs.put(vertexName, vertex.getOutputType(-1, in));
            }
        }
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init();
        for (String layer : layers) {
            copyParameters(graph.getLayer(layer), copy.getLayer(layer));
        }
        return copy;
    }

    private static InputType inputType(InputPreProcessor preProcessor, InputType in) {
        return preProcessor == null ? in : preProcessor.getOutputType(in);
    }

    /** A layer whose training-mode pass is this layer's inference pass. */
    private static org.deeplearning4j.nn.conf.layers.Layer inferenceEquivalent(org.deeplearning4j.nn.conf.layers.Layer layer, InputType in) {
        while (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
            layer = layer instanceof FrozenLayer frozen ? frozen.getLayer() : ((FrozenLayerWithBackprop) layer).getUnderlying();
        }
        if (layer instanceof BatchNormalization bn) {
            return runningStatistics(bn, in);
        }
        layer.setIDropout(null);
        if (layer instanceof BaseLayer withWeights) {
            withWeights.setWeightNoise(null);
        }
        return layer;
    }

    /** Batch normalization's per-channel map as a layer with a scale and a shift (its activation is never applied by DL4J). */
    private static org.deeplearning4j.nn.conf.layers.Layer runningStatistics(BatchNormalization bn, InputType in) {
        if (in instanceof InputType.InputTypeConvolutional) {
            return new DepthwiseConvolution2D.Builder(1, 1).nIn(bn.getNOut()).depthMultiplier(1).convolutionMode(ConvolutionMode.Truncate)
                    .dataFormat(bn.getCnn2DFormat()).activation(Activation.IDENTITY).weightInit(WeightInit.ONES).updater(new NoOp())
                    .name(bn.getLayerName()).build();
        }
        if (in instanceof InputType.InputTypeFeedForward) {
            return new ElementWiseMultiplicationLayer.Builder().nIn(bn.getNOut()).nOut(bn.getNOut()).activation(Activation.IDENTITY)
                    .weightInit(WeightInit.ONES).updater(new NoOp()).name(bn.getLayerName()).build();
        }
        throw new IllegalArgumentException(bn.getLayerName() + ": batch normalization of " + in + " activations is not supported");
    }

    private static void copyParameters(Layer from, Layer to) {
        if (from.conf().getLayer() instanceof BatchNormalization bn && !(to.conf().getLayer() instanceof BatchNormalization)) {
            Affine affine = Dl4jGraphs.batchNormalization(bn, from::getParam);
            to.setParam("W", affine.scale().castTo(to.getParam("W").dataType()).reshape(to.getParam("W").shape()));
            to.setParam("b", affine.shift().castTo(to.getParam("b").dataType()).reshape(to.getParam("b").shape()));
            return;
        }
        for (String key : from.paramTable().keySet()) {
            to.setParam(key, from.getParam(key));
        }
    }

    /**
     * Keeps a ComputationGraph's input gradient, which the graph computes but clears before its
     * gradient pass returns: listeners hear of the backward pass in between.
     */
    private static final class InputGradientListener extends BaseTrainingListener {
        private INDArray gradient;

        @Override
        public void onBackwardPass(Model model) {
            ComputationGraph graph = (ComputationGraph) model;
            gradient = graph.getVertex(graph.getConfiguration().getNetworkInputs().get(0)).getEpsilon().dup();
        }
    }

    /**
     * Minus the score, given the one-hot labels: its gradient with respect to the output layer's
     * pre-activation is minus the score's, dz for logits, p_c (onehot - p) for probabilities and
     * onehot - p for log-probabilities. The value DL4J also asks for is minus the logit.
     */
    private static final class ScoreLoss implements ILossFunction {
        private Score score = Score.LOGIT;

        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
            INDArray p = Transforms.softmax(preOutput, true);
            INDArray scoreGradient = switch (score) {
                case LOGIT -> labels.dup();
                case PROBABILITY -> labels.sub(p).muliColumnVector(labels.mul(p).sum(true, 1));
                case LOG_PROBABILITY -> labels.sub(p);
            };
            return scoreGradient.negi();
        }

        @Override
        public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
            return labels.mul(preOutput).sum(true, 1).negi();
        }

        @Override
        public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
            double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
            return average ? sum / labels.size(0) : sum;
        }

        @Override
        public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                               boolean average) {
            return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                    computeGradient(labels, preOutput, activationFn, mask));
        }

        @Override
        public String name() {
            return "score";
        }
    }
}
