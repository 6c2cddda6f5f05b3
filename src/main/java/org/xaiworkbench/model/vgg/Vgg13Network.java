package org.xaiworkbench.model.vgg;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the DL4J network of {@link VggSpec}. Each PyTorch module with an effect in inference
 * becomes one DL4J layer (convolutions, ReLUs and poolings stay separate), so DL4J layer i of the
 * convolutional stack is conv_layers.i. PyTorch's Dropout modules have no DL4J layer of their own:
 * DL4J applies dropout to a layer's input, so it is set on the linear layer that follows.
 */
public final class Vgg13Network {
    /** Options that change the trained network; everything else about it is fixed by the spec. */
    public record Hyper(double learningRate, double l2, long seed) {
        public Hyper {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
            }
            if (!(l2 >= 0)) {
                throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
            }
        }
    }

    private Vgg13Network() {
    }

    public static MultiLayerNetwork build(Hyper hyper) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(hyper.seed())
                .updater(new Adam(hyper.learningRate()))
                .l2(hyper.l2())
                .l2Bias(hyper.l2())
                .convolutionMode(ConvolutionMode.Truncate)
                .list();
        for (Layer layer : layers()) {
            list.layer(layer);
        }
        MultiLayerConfiguration conf = list
                .setInputType(InputType.convolutional(VggSpec.INPUT_SIZE, VggSpec.INPUT_SIZE, VggSpec.INPUT_CHANNELS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        cacheForwardPass(net);
        return net;
    }

    /**
     * Keeps each convolution's output from the forward pass for its backward pass; without it DL4J's
     * oneDNN path recomputes every convolution in backprop. Both the
     * layers and the configuration must say so: the configuration's mode is what opens the cache's
     * workspace.
     */
    private static void cacheForwardPass(MultiLayerNetwork net) {
        net.setCacheMode(CacheMode.DEVICE);
        net.getLayerWiseConfigurations().setCacheMode(CacheMode.DEVICE);
    }

    private static List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        double pendingDropout = 0;
        for (VggSpec.Module m : VggSpec.modules()) {
            switch (m.kind()) {
                case CONV -> layers.add(new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1)
                        .nIn(m.in()).nOut(m.out()).activation(Activation.IDENTITY)
                        .weightInit(pytorchDefault(m.fanIn())).biasInit(0).name(m.name()).build());
                case RELU -> {
                    // A ReLU after a linear layer is fused into that DenseLayer: same maths, one layer fewer.
                    if (m.name().startsWith("conv_layers.")) {
                        layers.add(new ActivationLayer.Builder().activation(Activation.RELU).name(m.name()).build());
                    }
                }
                case MAXPOOL -> layers.add(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).name(m.name()).build());
                case DROPOUT -> pendingDropout = VggSpec.DROPOUT;
                case LINEAR -> {
                    boolean last = m.out() == VggSpec.NUM_CLASSES;
                    // DL4J's dropOut(p) takes the probability of *keeping* a unit; PyTorch's p drops it.
                    double retain = pendingDropout > 0 ? 1 - pendingDropout : 0;
                    pendingDropout = 0;
                    if (last) {
                        layers.add(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(m.in()).nOut(m.out()).activation(Activation.SOFTMAX)
                                .weightInit(pytorchDefault(m.fanIn())).biasInit(0).dropOut(retain).name(m.name()).build());
                    } else {
                        layers.add(new DenseLayer.Builder().nIn(m.in()).nOut(m.out()).activation(Activation.RELU)
                                .weightInit(pytorchDefault(m.fanIn())).biasInit(0).dropOut(retain).name(m.name()).build());
                    }
                }
            }
        }
        return layers;
    }

    /** PyTorch's default init for Conv2d/Linear weights: kaiming_uniform(a=sqrt 5) = U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    private static WeightInitDistribution pytorchDefault(long fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        return new WeightInitDistribution(new UniformDistribution(-bound, bound));
    }

    /** Index of the DL4J layer that holds a module's output (the fc ReLUs are fused into their linear layer). */
    public static int layerIndex(String moduleName) {
        List<Layer> layers = layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).getLayerName().equals(moduleName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown module '" + moduleName + "'");
    }
}
