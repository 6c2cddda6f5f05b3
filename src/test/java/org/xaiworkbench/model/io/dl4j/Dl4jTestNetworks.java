package org.xaiworkbench.model.io.dl4j;

import org.xaiworkbench.model.Score;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.function.UnaryOperator;

/** Small DL4J networks in double precision on 3x8x8 images, with batch-norm statistics that are not the identity. */
public final class Dl4jTestNetworks {
    public static final int CLASSES = 4;

    private Dl4jTestNetworks() {
    }

    /**
     * conv 3x3 Same, batch norm, ReLU, conv 3x3 (Truncate, padding 1) + ReLU, a residual add of the
     * two; then a stride-2 conv (leaky ReLU) beside an average pool (3x3/2, padding 1, padding not
     * counted), merged on channels; global average pooling, dense + tanh with dropout, softmax output.
     * With {@code upsampling}, the average pool's branch is upsampled 2x and max-pooled back down.
     */
    public static ComputationGraph residualGraph(long seed, boolean upsampling) {
        ComputationGraphConfiguration.GraphBuilder b = base(seed).graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "image")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "conv1")
                .addLayer("relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1).activation(Activation.RELU).build(), "relu1")
                .addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "relu1", "conv2")
                .addLayer("down", new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(5)
                        .activation(Activation.LEAKYRELU).build(), "residual")
                .addLayer("avgpool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(2, 2).padding(1, 1)
                        .avgPoolIncludePadInDivisor(false).build(), "residual");
        String pooled = "avgpool";
        if (upsampling) {
            b.addLayer("up", new Upsampling2D.Builder(2).build(), "avgpool")
                    .addLayer("maxpool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "up");
            pooled = "maxpool";
        }
        ComputationGraph graph = new ComputationGraph(b
                .addVertex("merge", new MergeVertex(), "down", pooled)
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "merge")
                .addLayer("fc", new DenseLayer.Builder().nOut(7).activation(Activation.TANH).dropOut(0.5).build(), "gap")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .build());
        graph.init();
        randomizeBatchNorm(graph.getLayer("bn1"), seed);
        return graph;
    }

    /**
     * conv 3x3 (5 channels, ReLU), max-pool 2x2, dense 6 (sigmoid, dropout), softmax output; DL4J adds the
     * flatten between pool and dense. With {@code flatInput} the network reads [N,3*8*8] vectors, which
     * records the input size in the configuration.
     */
    public static MultiLayerNetwork smallMultiLayer(long seed, boolean flatInput) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.RELU).name("conv").build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name("pool").build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.SIGMOID).dropOut(0.5).name("dense").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX)
                        .name("out").build())
                .setInputType(flatInput ? InputType.convolutionalFlat(8, 8, 3) : InputType.convolutional(8, 8, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** conv 3x3 Same + ReLU, batch norm, upsampling 2x, stride-2 conv + tanh, dense with dropout, softmax output. */
    public static MultiLayerNetwork upsamplingMultiLayer(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
                        .name("conv1").build())
                .layer(new BatchNormalization.Builder().name("bn").build())
                .layer(new Upsampling2D.Builder(2).name("up").build())
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(3).activation(Activation.TANH)
                        .name("conv2").build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.ELU).dropOut(0.5).name("dense").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX)
                        .name("out").build())
                .setInputType(InputType.convolutional(8, 8, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeBatchNorm(net.getLayer(1), seed);
        return net;
    }

    /**
     * DL4J's own logits: the same network with an identity output activation, in inference mode. The
     * output layer's pre-softmax values are otherwise not exposed.
     */
    public static UnaryOperator<INDArray> dl4jLogits(Model network) {
        if (network instanceof MultiLayerNetwork net) {
            MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            copy.init(net.params().dup(), false);
            ((BaseLayer) copy.getOutputLayer().conf().getLayer()).setActivationFn(new ActivationIdentity());
            return x -> copy.output(x, false);
        }
        ComputationGraph graph = (ComputationGraph) network;
        ComputationGraph copy = new ComputationGraph(graph.getConfiguration().clone());
        copy.init(graph.params().dup(), false);
        ((BaseLayer) copy.getOutputLayer(0).conf().getLayer()).setActivationFn(new ActivationIdentity());
        return x -> copy.outputSingle(false, x);
    }

    /**
     * Central differences of each image's score[classes[i]], from logits computed by {@code logits}. All
     * shifted copies of the images go through in one batch: the cost of a DL4J call is mostly per call.
     */
    public static INDArray finiteDifferences(UnaryOperator<INDArray> logits, INDArray x, int[] classes, Score score, double step) {
        int n = (int) x.size(0);
        int pixels = (int) (x.length() / n);
        INDArray flat = x.dup().reshape(n, pixels);
        INDArray shifted = Nd4j.zeros(DataType.DOUBLE, 2L * pixels * n, pixels);
        int[] shiftedClasses = new int[2 * pixels * n];
        for (int j = 0; j < pixels; j++) {
            for (int sign = 0; sign < 2; sign++) {
                INDArray block = flat.dup();
                block.getColumn(j).addi(sign == 0 ? step : -step);
                int first = (2 * j + sign) * n;
                shifted.get(NDArrayIndex.interval(first, first + n), NDArrayIndex.all()).assign(block);
                System.arraycopy(classes, 0, shiftedClasses, first, n);
            }
        }
        long[] shape = x.shape().clone();
        shape[0] = shifted.size(0);
        INDArray values = scores(logits.apply(shifted.reshape(shape)), shiftedClasses, score);
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, n, pixels);
        for (int j = 0; j < pixels; j++) {
            for (int i = 0; i < n; i++) {
                gradient.putScalar(i, j, (values.getDouble((2L * j) * n + i) - values.getDouble((2L * j + 1) * n + i)) / (2 * step));
            }
        }
        return gradient.reshape(x.shape());
    }

    private static INDArray scores(INDArray logits, int[] classes, Score score) {
        INDArray values = switch (score) {
            case LOGIT -> logits;
            case PROBABILITY -> Transforms.softmax(logits, true);
            case LOG_PROBABILITY -> Transforms.log(Transforms.softmax(logits, true), false);
        };
        INDArray picked = Nd4j.zeros(DataType.DOUBLE, classes.length);
        for (int i = 0; i < classes.length; i++) {
            picked.putScalar(i, values.getDouble(i, classes[i]));
        }
        return picked;
    }

    public static INDArray images(long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, n, 3, 8, 8);
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .biasInit(0.1).updater(new NoOp());
    }

    /** Running mean and variance (or log10 std), gamma and beta drawn away from 0 and 1. */
    private static void randomizeBatchNorm(Layer bn, long seed) {
        Nd4j.getRandom().setSeed(seed + 1);
        for (Map.Entry<String, INDArray> p : bn.paramTable().entrySet()) {
            long[] shape = p.getValue().shape();
            INDArray value = switch (p.getKey()) {
                case "gamma" -> Nd4j.rand(DataType.DOUBLE, shape).addi(0.5);
                case "var" -> Nd4j.rand(DataType.DOUBLE, shape).addi(0.3);
                case "log10stdev" -> Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(0.6);
                default -> Nd4j.randn(DataType.DOUBLE, shape).muli(0.4);
            };
            bn.setParam(p.getKey(), value);
        }
    }
}
