package org.xaiworkbench.model.graph;

import org.nd4j.linalg.api.buffer.DataType;
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

    /**
     * A 2-d convolution with symmetric zero padding; with {@code groups} g, the input's channels and the
     * outputs are split into g groups convolved separately, the weight being [out,in/g,kh,kw]
     * (depthwise: g equals the input's channels).
     */
    record Conv(INDArray weight, INDArray bias, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
                int groups) implements LayerOp {
        public Conv {
            if (weight == null || weight.rank() != 4) {
                throw new IllegalArgumentException("convolution weight must be [out,in,kh,kw]");
            }
            if (groups < 1 || weight.size(0) % groups != 0) {
                throw new IllegalArgumentException("convolution with " + weight.size(0) + " outputs cannot be split into " + groups + " groups");
            }
            if (bias != null && bias.length() != weight.size(0)) {
                throw new IllegalArgumentException("convolution bias has " + bias.length() + " values for " + weight.size(0) + " outputs");
            }
            if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("convolution stride and dilation must be >= 1 and padding >= 0");
            }
        }

        /** An ungrouped convolution. */
        public Conv(INDArray weight, INDArray bias, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
            this(weight, bias, strideH, strideW, padH, padW, dilationH, dilationW, 1);
        }

        /** A stride-1, dilation-1 convolution with the given padding. */
        public static Conv simple(INDArray weight, INDArray bias, int pad) {
            return new Conv(weight, bias, 1, 1, pad, pad, 1, 1);
        }

        /** Input channels: the weight's second axis times the groups. */
        public long inputChannels() {
            return weight.size(1) * groups;
        }

        /** One group per input channel. */
        public boolean depthwise() {
            return groups > 1 && weight.size(1) == 1;
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

    /** A fully connected layer on the last axis, [N,...,in] to [N,...,out]: weight [out,in], bias [out] or null. */
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
        /** Computed in double, so that a double-precision classifier holds the exact map (a float one rounds it once). */
        public static Affine batchNorm(INDArray gamma, INDArray beta, INDArray mean, INDArray variance, double epsilon) {
            INDArray scale = gamma.castTo(DataType.DOUBLE).div(Transforms.sqrt(variance.castTo(DataType.DOUBLE).add(epsilon), false));
            return new Affine(scale, beta.castTo(DataType.DOUBLE).sub(mean.castTo(DataType.DOUBLE).mul(scale)));
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /**
     * An element-wise activation. {@code alpha} is leaky ReLU's negative slope, ELU's scale, clip's
     * minimum or hard sigmoid's slope; {@code beta} is clip's maximum or hard sigmoid's offset
     * (max(0, min(1, alpha x + beta))) or the power's exponent; hard swish is x * relu6(x + 3) / 6.
     */
    record Activation(Function function, double alpha, double beta) implements LayerOp {
        public enum Function { RELU, LEAKY_RELU, ELU, SIGMOID, TANH, CLIP, HARD_SIGMOID, HARD_SWISH, SQRT, ERF, POWER, RECIPROCAL }

        public Activation {
            if (function == null) {
                throw new IllegalArgumentException("activation function must not be null");
            }
            if (function == Function.CLIP && !(alpha < beta)) {
                throw new IllegalArgumentException("clip needs a minimum below its maximum, got " + alpha + " and " + beta);
            }
        }

        public Activation(Function function, double alpha) {
            this(function, alpha, 0);
        }

        public static Activation relu() {
            return new Activation(Function.RELU, 0);
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /**
     * Max or average pooling with symmetric padding; {@code countPadding} makes averages divide by the
     * whole window; {@code ceilMode} counts a last window that starts inside the input (or its left
     * padding) but runs past the end, as PyTorch's ceil_mode does (max pooling only).
     */
    record Pool(Mode mode, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean countPadding,
                boolean ceilMode) implements LayerOp {
        public enum Mode { MAX, AVERAGE }

        public Pool {
            if (mode == null || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("pooling needs a mode, kernel and stride >= 1 and padding >= 0");
            }
            if (ceilMode && mode != Mode.MAX) {
                throw new IllegalArgumentException("ceil mode is supported for max pooling only");
            }
        }

        public Pool(Mode mode, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean countPadding) {
            this(mode, kernelH, kernelW, strideH, strideW, padH, padW, countPadding, false);
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

    /**
     * The element-wise product of two inputs, broadcast numpy-style (a 1x1 image scales an HxW one per
     * channel, as in squeeze-and-excitation; [H,W,1] scales [H,W,C]).
     */
    record Multiply() implements LayerOp {
        @Override
        public int arity() {
            return 2;
        }
    }

    /**
     * x op c with a constant c broadcast numpy-style against x's shape without the batch axis (c may
     * have leading 1s for it): the layer scale, bias and normalisation constants of transformer-style
     * blocks. {@code reversed} computes c op x (for subtraction).
     */
    record ConstantArithmetic(Operation operation, INDArray constant, boolean reversed) implements LayerOp {
        public enum Operation { ADD, SUBTRACT, MULTIPLY, DIVIDE }

        public ConstantArithmetic {
            if (operation == null || constant == null) {
                throw new IllegalArgumentException("constant arithmetic needs an operation and a constant");
            }
            if (reversed && operation == Operation.DIVIDE) {
                throw new IllegalArgumentException("dividing a constant by a layer is not supported");
            }
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** A permutation of the axes after the batch axis (ONNX Transpose with the batch axis kept first). */
    record Transpose(int[] order) implements LayerOp {
        public Transpose {
            order = order.clone();
            boolean[] seen = new boolean[order.length];
            for (int a : order) {
                if (a < 0 || a >= order.length || seen[a]) {
                    throw new IllegalArgumentException("a transpose needs a permutation of 0.." + (order.length - 1));
                }
                seen[a] = true;
            }
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** A view of the same values in another shape (without the batch axis), row-major as PyTorch's reshape. */
    record Reshape(long[] shape) implements LayerOp {
        public Reshape {
            shape = shape.clone();
            if (shape.length == 0 || java.util.Arrays.stream(shape).anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("a reshape needs dimensions >= 1, got " + java.util.Arrays.toString(shape));
            }
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** The mean over some axes after the batch axis (0 is the first of them), kept as size 1 or dropped. */
    record Mean(int[] axes, boolean keepDimensions) implements LayerOp {
        public Mean {
            axes = axes.clone();
            if (axes.length == 0 || java.util.Arrays.stream(axes).anyMatch(a -> a < 0)) {
                throw new IllegalArgumentException("a mean needs axes >= 0");
            }
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** Indices [from, to) of one axis after the batch axis (0 the first) of a plain tensor. */
    record Slice(int axis, int from, int to) implements LayerOp {
        public Slice {
            if (axis < 0 || from < 0 || to <= from) {
                throw new IllegalArgumentException("a slice needs an axis >= 0 and 0 <= from < to, got " + axis + ": " + from + ".." + to);
            }
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** The matrix product of two layers over their last two axes, batched over the others (attention's q k^T and its weights times v). */
    record MatMul() implements LayerOp {
        @Override
        public int arity() {
            return 2;
        }
    }

    /** Softmax along one axis after the batch axis (attention weights). DeepLIFT has no rule for it. */
    record Softmax(int axis) implements LayerOp {
        @Override
        public int arity() {
            return 1;
        }
    }

    /** A constant (without the batch axis) placed before the layer along an axis: a transformer's class token. */
    record ConstantConcat(INDArray constant, int axis) implements LayerOp {
        @Override
        public int arity() {
            return 1;
        }
    }

    /** Zero padding of an image, each side on its own. */
    record ZeroPad(int top, int bottom, int left, int right) implements LayerOp {
        public ZeroPad {
            if (top < 0 || bottom < 0 || left < 0 || right < 0) {
                throw new IllegalArgumentException("padding must be >= 0, got " + top + ", " + bottom + ", " + left + ", " + right);
            }
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** The image's channels reordered: output channel i is input channel {@code order[i]} (a channel shuffle). */
    record ChannelPermute(int[] order) implements LayerOp {
        public ChannelPermute {
            order = order.clone();
            boolean[] seen = new boolean[order.length];
            for (int c : order) {
                if (c < 0 || c >= order.length || seen[c]) {
                    throw new IllegalArgumentException("a channel order must be a permutation of 0.." + (order.length - 1));
                }
                seen[c] = true;
            }
        }

        @Override
        public int arity() {
            return 1;
        }
    }

    /** Channels [from, to) of an image or features [from, to) of a vector. */
    record ChannelSlice(int from, int to) implements LayerOp {
        public ChannelSlice {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("a channel slice needs 0 <= from < to, got " + from + ".." + to);
            }
        }

        @Override
        public int arity() {
            return 1;
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
            return (c.depthwise() ? "depthwise conv " : "conv ") + c.kernelH() + "x" + c.kernelW()
                    + (c.strideH() > 1 || c.strideW() > 1 ? "/" + c.strideH() : "")
                    + (c.dilationH() > 1 || c.dilationW() > 1 ? " dilation " + c.dilationH() : "")
                    + (c.groups() > 1 && !c.depthwise() ? " groups " + c.groups() : "");
        }
        if (op instanceof Activation a) {
            return a.function().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (op instanceof Pool p) {
            return (p.mode() == Pool.Mode.MAX ? "max-pool " : "avg-pool ") + p.kernelH() + "x" + p.kernelW()
                    + (p.strideH() != p.kernelH() ? "/" + p.strideH() : "") + (p.ceilMode() ? " ceil" : "");
        }
        if (op instanceof Affine) {
            return "affine (batch norm)";
        }
        if (op instanceof GlobalAveragePool) {
            return "global avg-pool";
        }
        if (op instanceof ZeroPad) {
            return "zero-pad";
        }
        if (op instanceof ConstantArithmetic a) {
            return (a.reversed() ? "constant " : "") + switch (a.operation()) {
                case ADD -> "+";
                case SUBTRACT -> "-";
                case MULTIPLY -> "×";
                case DIVIDE -> "÷";
            } + (a.reversed() ? " layer" : " constant");
        }
        if (op instanceof ConstantConcat) {
            return "constant token + layer";
        }
        if (op instanceof Softmax sm) {
            return "softmax (axis " + sm.axis() + ")";
        }
        if (op instanceof Mean m) {
            return "mean " + java.util.Arrays.toString(m.axes());
        }
        if (op instanceof ChannelPermute) {
            return "channel shuffle";
        }
        if (op instanceof ChannelSlice s) {
            return "channels " + s.from() + ".." + s.to();
        }
        return op.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
