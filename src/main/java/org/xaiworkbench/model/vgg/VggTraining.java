package org.xaiworkbench.model.vgg;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.Nd4jBinaryArrays;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * Training of the {@link VggSpec} network written out as ND4J's native ops, channels-last, with a
 * hand-written backward pass: the arithmetic of {@link Vgg13Network#build} (PyTorch's initialisation,
 * dropout before each linear layer after the first, softmax cross-entropy averaged over the batch,
 * coupled L2 on weights and biases, Adam) without DL4J's per-layer machinery.
 *
 * <p>Why not DL4J's layers: their convolution backward goes through libnd4j's 2-D {@code conv2d_bp},
 * for which oneDNN picks Winograd kernels that run several times slower here than its direct ones
 * (native-config/README.md has the measurements); the same convolution asked for as a 3-D one of
 * depth 1 gets the direct kernels. Writing the step out also drops DL4J's separate ReLU layers and
 * the copies between layers: every activation buffer is allocated once per batch size, ReLU and
 * dropout work in place, and one Adam update covers all parameters, which live in one flat buffer.
 *
 * <p>The state (parameters, Adam's moments, the step count) is what a checkpoint holds;
 * {@link #toNetwork} gives the DL4J network that everything else reads.
 */
public final class VggTraining {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** An ND4J array's two headers and shape information take about 150 bytes; this leaves room for any rank. */
    private static final long STATE_HEADER_BYTES = 1024;

    private final Vgg13Network.Hyper hyper;
    private final double dropout;
    private final List<Layer> layers;
    private final INDArray params;
    private final INDArray gradients;
    private final INDArray adamM;
    private final INDArray adamV;
    private long step;
    private final Map<Integer, Buffers> buffersByRows = new HashMap<>();

    /** One parameterised module: a 3x3 convolution (followed by ReLU) or a linear layer. */
    private record Layer(VggSpec.Module module, INDArray weight, INDArray bias, INDArray weightGradient,
                         INDArray biasGradient, boolean poolAfter, boolean dropoutBefore) {
        boolean conv() {
            return module.kind() == VggSpec.Kind.CONV;
        }
    }

    private VggTraining(Vgg13Network.Hyper hyper, double dropout, INDArray params, INDArray adamM, INDArray adamV, long step) {
        this.hyper = hyper;
        this.dropout = dropout;
        this.params = params;
        this.gradients = Nd4j.create(DataType.FLOAT, params.length());
        this.adamM = adamM;
        this.adamV = adamV;
        this.step = step;
        this.layers = views(params, gradients);
    }

    /** A new network with PyTorch's default initialisation: weights U(-1/sqrt(fanIn), 1/sqrt(fanIn)), biases 0. */
    public static VggTraining create(Vgg13Network.Hyper hyper) {
        return create(hyper, VggSpec.DROPOUT);
    }

    /** With another dropout probability: 0 makes a step deterministic, for comparisons with DL4J's. */
    static VggTraining create(Vgg13Network.Hyper hyper, double dropout) {
        long total = VggSpec.paramCount();
        INDArray params = Nd4j.create(DataType.FLOAT, total);
        VggTraining training = new VggTraining(hyper, dropout, params, Nd4j.create(DataType.FLOAT, total), Nd4j.create(DataType.FLOAT, total), 0);
        Nd4j.getRandom().setSeed(hyper.seed());
        for (Layer layer : training.layers) {
            double bound = 1 / Math.sqrt(layer.module().fanIn());
            Nd4j.exec(new UniformDistribution(layer.weight(), -bound, bound));
        }
        return training;
    }

    public long steps() {
        return step;
    }

    /** The DL4J network with these parameters (its updater state is not filled: continue training here). */
    public MultiLayerNetwork toNetwork() {
        MultiLayerNetwork net = Vgg13Network.build(hyper);
        copyInto(net);
        return net;
    }

    /** Writes these parameters into a network built by {@link Vgg13Network#build}. */
    private void copyInto(MultiLayerNetwork net) {
        for (Layer layer : layers) {
            int index = Vgg13Network.layerIndex(layer.module().name());
            INDArray w = net.getLayer(index).getParam("W");
            // DL4J's convolution kernels are [out,in,kh,kw], these [kh,kw,in,out]; dense weights are [in,out] in both
            w.assign(layer.conv() ? layer.weight().permute(3, 2, 0, 1) : layer.weight());
            INDArray b = net.getLayer(index).getParam("b");
            b.assign(layer.bias().reshape(b.shape()));
        }
    }

    /**
     * One Adam step on a batch; dropout masks come from ND4J's generator (seed it for reproducible runs).
     *
     * @param images normalised, [n,3,h,w]
     * @return the batch's mean cross-entropy (without the L2 term) and the arg-max of each row's logits
     */
    public StepResult fit(INDArray images, int[] labels) {
        int n = (int) images.size(0);
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " images");
        }
        for (int label : labels) {
            if (label < 0 || label >= VggSpec.NUM_CLASSES) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (VggSpec.NUM_CLASSES - 1));
            }
        }
        Buffers b = buffersWithInput(images);
        INDArray logits = forward(b, true);
        INDArray probabilities = Nd4j.exec((DynamicCustomOp) DynamicCustomOp.builder("softmax")
                .addInputs(logits).addOutputs(b.outputGradient).addIntegerArguments(1).build())[0];
        double loss = 0;
        int[] predicted = new int[n];
        float[] p = probabilities.reshape(probabilities.length()).toFloatVector();
        int classes = (int) logits.size(1);
        float[] l = logits.reshape(logits.length()).toFloatVector();
        for (int i = 0; i < n; i++) {
            loss -= Math.log(Math.max(p[i * classes + labels[i]], 1e-30f));
            predicted[i] = argMax(l, i * classes, classes);
            probabilities.putScalar(i, labels[i], p[i * classes + labels[i]] - 1);
        }
        probabilities.divi(n);
        backward(b, probabilities);
        if (hyper.l2() > 0) {
            gradients.addi(params.mul(hyper.l2()));
        }
        Nd4j.exec(new AdamUpdater(gradients, adamV, adamM, hyper.learningRate(), BETA1, BETA2, EPSILON, (int) step));
        params.subi(gradients);
        step++;
        return new StepResult(loss / n, predicted);
    }

    public record StepResult(double loss, int[] predicted) {
    }

    /** Logits of a batch in inference mode (dropout off), [n, classes]. */
    public INDArray output(INDArray images) {
        return forward(buffersWithInput(images), false).dup();
    }

    /** The buffers for this many images, with the images copied in channels-last. */
    private Buffers buffersWithInput(INDArray images) {
        Buffers b = buffersByRows.computeIfAbsent((int) images.size(0), this::allocate);
        b.input.assign(images.permute(0, 2, 3, 1));
        return b;
    }

    private INDArray forward(Buffers b, boolean training) {
        INDArray x = b.input;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Activations a = b.activations.get(i);
            if (layer.conv()) {
                exec("conv2d", new INDArray[]{x, layer.weight(), layer.bias()}, new INDArray[]{a.output}, CONV_ARGS);
                Nd4j.exec(new RectifiedLinear(a.output, a.output, 0.0));
                x = a.output;
                if (layer.poolAfter()) {
                    exec("maxpool2d", new INDArray[]{x}, new INDArray[]{a.pooled}, POOL_ARGS);
                    x = a.pooled;
                }
            } else {
                if (a.flatInput != null) {
                    // PyTorch flattens channels-first: the first linear layer's weights expect that order
                    a.flatInput.assign(x.permute(0, 3, 1, 2));
                    x = a.flatInput.reshape(a.flatInput.size(0), -1);
                }
                a.dropoutActive = training && layer.dropoutBefore() && dropout > 0;
                if (a.dropoutActive) {
                    Nd4j.exec(new BernoulliDistribution(a.dropoutMask, 1 - dropout));
                    a.dropoutMask.divi(1 - dropout);
                    x.muli(a.dropoutMask);
                }
                a.layerInput = x;
                Nd4j.gemm(x, layer.weight(), a.output, false, false, 1.0, 0.0);
                a.output.addiRowVector(layer.bias());
                if (i < layers.size() - 1) {
                    Nd4j.exec(new RectifiedLinear(a.output, a.output, 0.0));
                }
                x = a.output;
            }
        }
        return x;
    }

    private void backward(Buffers b, INDArray outputGradient) {
        INDArray g = outputGradient;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            Activations a = b.activations.get(i);
            INDArray input = i == 0 ? b.input : b.activations.get(i - 1).layerOutput();
            if (layer.conv()) {
                if (layer.poolAfter()) {
                    // maxpool(relu(z)) = relu(maxpool(z)): the ReLU's mask applied to the pooled gradient, a quarter of
                    // the size, is the same mask, since the pool's gradient reaches only each window's maximum
                    reluBackward(a.pooled, g);
                    exec("maxpool2d_bp", new INDArray[]{a.output, g}, new INDArray[]{a.outputGradient}, POOL_ARGS);
                    g = a.outputGradient;
                } else {
                    reluBackward(a.output, g);
                }
                exec("conv3dnew_bp", new INDArray[]{imagesWithDepth(input), kernelWithDepth(layer.weight()), layer.bias(), imagesWithDepth(g)},
                        new INDArray[]{imagesWithDepth(a.inputGradient), kernelWithDepth(layer.weightGradient()), layer.biasGradient()},
                        CONV3D_ARGS);
                g = a.inputGradient;
            } else {
                if (i < layers.size() - 1) {
                    reluBackward(a.output, g);
                }
                Nd4j.gemm(a.layerInput, g, layer.weightGradient(), true, false, 1.0, 0.0);
                layer.biasGradient().assign(g.sum(0));
                if (i > 0) {
                    Nd4j.gemm(g, layer.weight(), a.inputGradient, false, true, 1.0, 0.0);
                    g = a.inputGradient;
                    if (a.dropoutActive) {
                        g.muli(a.dropoutMask);
                    }
                    if (a.flatInput != null) {
                        Activations previous = b.activations.get(i - 1);
                        INDArray pooled = previous.pooled;
                        previous.pooledGradient.assign(g.reshape(pooled.size(0), pooled.size(3), pooled.size(1), pooled.size(2))
                                .permute(0, 2, 3, 1));
                        g = previous.pooledGradient;
                    }
                }
            }
        }
    }

    /** g *= (a > 0), in place: the ReLU's gradient read from its output. */
    private static void reluBackward(INDArray activation, INDArray g) {
        exec("relu_bp", new INDArray[]{activation, g}, new INDArray[]{g}, new int[0]);
    }

    /**
     * The same convolution as a 3-D one of depth 1, for its backward pass: libnd4j lets oneDNN pick the
     * 2-D backward algorithm, and oneDNN picks Winograd, which here runs several times slower than its
     * direct kernels; oneDNN has no 3-D Winograd, so the 3-D op gets the direct ones.
     */
    private static final int[] CONV3D_ARGS = {1, 3, 3, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0};

    /** Images [n,h,w,c] as [n,1,h,w,c]: the same buffer, a depth of 1. */
    private static INDArray imagesWithDepth(INDArray images) {
        long[] s = images.shape();
        return images.reshape(s[0], 1, s[1], s[2], s[3]);
    }

    /** A kernel [kh,kw,in,out] as [1,kh,kw,in,out]. */
    private static INDArray kernelWithDepth(INDArray kernel) {
        long[] s = kernel.shape();
        return kernel.reshape(1, s[0], s[1], s[2], s[3]);
    }

    private static final int[] CONV_ARGS = {3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0};
    private static final int[] POOL_ARGS = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1};

    private static void exec(String op, INDArray[] inputs, INDArray[] outputs, int[] iArgs) {
        DynamicCustomOp.DynamicCustomOpsBuilder builder = DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs);
        if (iArgs.length > 0) {
            builder.addIntegerArguments(iArgs);
        }
        Nd4j.exec(builder.build());
    }

    private static int argMax(float[] values, int from, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (values[from + j] > values[from + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Per-layer buffers for one batch size. */
    private static final class Activations {
        INDArray output;
        INDArray pooled;
        INDArray outputGradient;
        INDArray pooledGradient;
        INDArray inputGradient;
        INDArray flatInput;
        INDArray dropoutMask;
        INDArray layerInput;
        boolean dropoutActive;

        INDArray layerOutput() {
            return pooled != null ? pooled : output;
        }
    }

    private static final class Buffers {
        INDArray input;
        INDArray outputGradient;
        final List<Activations> activations = new ArrayList<>();
    }

    private Buffers allocate(int n) {
        Buffers b = new Buffers();
        long size = VggSpec.INPUT_SIZE;
        b.input = Nd4j.create(DataType.FLOAT, n, size, size, VggSpec.INPUT_CHANNELS);
        long[] previous = b.input.shape();
        for (Layer layer : layers) {
            Activations a = new Activations();
            VggSpec.Module m = layer.module();
            if (layer.conv()) {
                a.output = Nd4j.create(DataType.FLOAT, n, size, size, m.out());
                a.inputGradient = Nd4j.create(DataType.FLOAT, previous);
                previous = a.output.shape();
                if (layer.poolAfter()) {
                    a.outputGradient = Nd4j.create(DataType.FLOAT, a.output.shape());
                    size /= 2;
                    a.pooled = Nd4j.create(DataType.FLOAT, n, size, size, m.out());
                    a.pooledGradient = Nd4j.create(DataType.FLOAT, a.pooled.shape());
                    previous = a.pooled.shape();
                }
            } else {
                if (previous.length == 4) {
                    a.flatInput = Nd4j.create(DataType.FLOAT, previous[0], previous[3], previous[1], previous[2]);
                }
                a.output = Nd4j.create(DataType.FLOAT, n, m.out());
                a.inputGradient = Nd4j.create(DataType.FLOAT, n, m.in());
                a.dropoutMask = Nd4j.create(DataType.FLOAT, n, m.in());
                previous = a.output.shape();
            }
            b.activations.add(a);
        }
        b.outputGradient = Nd4j.create(DataType.FLOAT, previous);
        return b;
    }

    private static List<Layer> views(INDArray params, INDArray gradients) {
        List<Layer> layers = new ArrayList<>();
        List<VggSpec.Module> modules = VggSpec.modules();
        long offset = 0;
        boolean dropoutPending = false;
        for (int i = 0; i < modules.size(); i++) {
            VggSpec.Module m = modules.get(i);
            if (m.kind() == VggSpec.Kind.DROPOUT) {
                dropoutPending = true;
            }
            if (!m.hasParams()) {
                continue;
            }
            long[] weightShape = m.kind() == VggSpec.Kind.CONV ? new long[]{3, 3, m.in(), m.out()} : new long[]{m.in(), m.out()};
            long weights = m.paramCount() - m.out();
            boolean poolAfter = m.kind() == VggSpec.Kind.CONV && i + 2 < modules.size() && modules.get(i + 2).kind() == VggSpec.Kind.MAXPOOL;
            layers.add(new Layer(m,
                    params.get(interval(offset, offset + weights)).reshape(weightShape),
                    params.get(interval(offset + weights, offset + m.paramCount())),
                    gradients.get(interval(offset, offset + weights)).reshape(weightShape),
                    gradients.get(interval(offset + weights, offset + m.paramCount())),
                    poolAfter, dropoutPending));
            dropoutPending = false;
            offset += m.paramCount();
        }
        return layers;
    }

    /** The state a checkpoint holds: hyper-parameters are the checkpoint's recipe, not part of it. */
    public void write(DataOutputStream out) throws IOException {
        out.writeLong(step);
        Nd4j.write(params, out);
        Nd4j.write(adamM, out);
        Nd4j.write(adamV, out);
    }

    /**
     * The state {@link #write} wrote, read with every array header checked against the bytes that follow (ND4J's own
     * reader allocates whatever a header declares), from at most the bytes three double-precision copies would take.
     */
    public static VggTraining read(DataInputStream in, Vgg13Network.Hyper hyper) throws IOException {
        long total = VggSpec.paramCount();
        long limit = Long.BYTES + 3 * (total * Double.BYTES + STATE_HEADER_BYTES);
        byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > limit) {
            throw new IOException("the training state holds more than the " + limit + " bytes of the VGG's parameters and Adam moments");
        }
        ByteBuffer state = ByteBuffer.wrap(bytes);
        if (state.remaining() < Long.BYTES) {
            throw new IOException("the training state ends after " + bytes.length + " bytes");
        }
        long step = state.getLong();
        INDArray params = Nd4jBinaryArrays.read(state, "parameters");
        INDArray m = Nd4jBinaryArrays.read(state, "Adam's first moment");
        INDArray v = Nd4jBinaryArrays.read(state, "Adam's second moment");
        if (params.length() != total || m.length() != total || v.length() != total) {
            throw new IOException("holds " + params.length() + " parameters, the VGG has " + total);
        }
        return new VggTraining(hyper, VggSpec.DROPOUT, params.castTo(DataType.FLOAT).reshape(total), m.reshape(total), v.reshape(total), step);
    }
}
