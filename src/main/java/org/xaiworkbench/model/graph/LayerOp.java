package org.xaiworkbench.model.graph;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Locale;

/**
 * What one node of a {@link LayerGraph} computes, in inference mode. Tensors are described in
 * PyTorch's and ONNX's layouts: images [N,C,H,W], convolution weights [out,in,kh,kw], dense weights
 * [out,in]. Each op says how many inputs it reads.
 */
public sealed interface LayerOp {
    /** Number of inputs, or -1 for any number of at least two. */
    int arity();

    /** True for ops with learned weights that model randomization draws afresh. */
    default boolean hasParameters() {
        return false;
    }

    /** A 2-d convolution (groups 1) with symmetric zero padding. */
    record Conv(INDArray weight, INDArray bias, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW)
            implements LayerOp {
        public Conv {
            if (weight == null || weight.rank() != 4) {
                throw new IllegalArgumentException("convolution weight must be [out,in,kh,kw]");
            }
            if (bias != null && bias.length() != weight.size(0)) {
                throw new IllegalArgumentException("convolution bias has " + bias.length() + " values for " + weight.size(0) + " outputs");
            }
            if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("convolution stride and dilation must be >= 1 and padding >= 0");
            }
        }

        /** A stride-1, dilation-1 convolution with the given padding. */
        public static Conv simple(INDArray weight, INDArray bias, int pad) {
            return new Conv(weight, bias, 1, 1, pad, pad, 1, 1);
        }

        public int kernelH() {
            return (int) weight.size(2);
        }

        public int kernelW() {
            return (int) weight.size(3);
        }

        @Override
        public int arity() {
            return 1;
        }

        @Override
        public boolean hasParameters() {
            return true;
        }
    }

    /** A fully connected layer on [N,in]: weight [out,in], bias [out] or null. */
    record Dense(INDArray weight, INDArray bias) implements LayerOp {
        public Dense {
            if (weight == null || weight.rank() != 2) {
                throw new IllegalArgumentException("dense weight must be [out,in]");
            }
            if (bias != null && bias.length() != weight.size(0)) {
                throw new IllegalArgumentException("dense bias has " + bias.length() + " values for " + weight.size(0) + " outputs");
            }
        }

        @Override
        public int arity() {
            return 1;
        }

        @Override
        public boolean hasParameters() {
            return true;
        }
    }

    /**
     * y = x * scale[c] + shift[c] per channel: batch normalisation in inference, or any per-channel
     * affine map.
     */
    record Affine(INDArray scale, INDArray shift) implements LayerOp {
        public Affine {
            if (scale == null || shift == null || scale.length() != shift.length()) {
                throw new IllegalArgumentException("affine scale and shift must have one value per channel each");
            }
        }

        /** Batch normalisation with running statistics: gamma (x - mean) / sqrt(var + eps) + beta. */
        public static Affine batchNorm(INDArray gamma, INDArray beta, INDArray mean, INDArray variance, double epsilon) {
            INDArray scale = gamma.div(Transforms.sqrt(variance.add(epsilon), false));
            return new Affine(scale, beta.sub(mean.mul(scale)));
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** An element-wise activation; {@code alpha} is leaky ReLU's negative slope or ELU's scale, unused otherwise. */
    record Activation(Function function, double alpha) implements LayerOp {
        public enum Function { RELU, LEAKY_RELU, ELU, SIGMOID, TANH }

        public Activation {
            if (function == null) {
                throw new IllegalArgumentException("activation function must not be null");
            }
        }

        public static Activation relu() {
            return new Activation(Function.RELU, 0);
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** Max or average pooling with symmetric padding; {@code countPadding} makes averages divide by the whole window. */
    record Pool(Mode mode, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean countPadding)
            implements LayerOp {
        public enum Mode { MAX, AVERAGE }

        public Pool {
            if (mode == null || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("pooling needs a mode, kernel and stride >= 1 and padding >= 0");
            }
        }

        public static Pool max(int size) {
            return new Pool(Mode.MAX, size, size, size, size, 0, 0, false);
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** The mean over height and width: [N,C,H,W] to [N,C,1,1] (flatten it for [N,C]). */
    record GlobalAveragePool() implements LayerOp {
        @Override
        public int arity() {
            return 1;
        }
    }

    /** [N,C,H,W] to [N,C*H*W] in channel-major order, PyTorch's view(N, -1). */
    record Flatten() implements LayerOp {
        @Override
        public int arity() {
            return 1;
        }
    }

    /** Element-wise sum of inputs of one shape: residual connections. */
    record Add() implements LayerOp {
        @Override
        public int arity() {
            return -1;
        }
    }

    /** Concatenation along the channel axis. */
    record Concat() implements LayerOp {
        @Override
        public int arity() {
            return -1;
        }
    }

    /** Passes its input on: dropout in inference, identity. */
    record Identity() implements LayerOp {
        @Override
        public int arity() {
            return 1;
        }
    }

    /** A short name for listings, e.g. "conv 3x3/2", "relu", "max-pool 2x2". */
    public static String describe(LayerOp op) {
        if (op instanceof Conv c) {
            return "conv " + c.kernelH() + "x" + c.kernelW() + (c.strideH() > 1 || c.strideW() > 1 ? "/" + c.strideH() : "")
                    + (c.dilationH() > 1 || c.dilationW() > 1 ? " dilation " + c.dilationH() : "");
        }
        if (op instanceof Activation a) {
            return a.function().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (op instanceof Pool p) {
            return (p.mode() == Pool.Mode.MAX ? "max-pool " : "avg-pool ") + p.kernelH() + "x" + p.kernelW()
                    + (p.strideH() != p.kernelH() ? "/" + p.strideH() : "");
        }
        if (op instanceof Affine) {
            return "affine (batch norm)";
        }
        if (op instanceof GlobalAveragePool) {
            return "global avg-pool";
        }
        return op.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
