package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2DBp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A 2-d convolution with symmetric zero padding; with {@code groups} g, the input's channels and the
 * outputs are split into g groups convolved separately, the weight being [out,in/g,kh,kw]
 * (depthwise: g equals the input's channels). Linear, so DeepLIFT's multiplier is its gradient.
 */
public record Conv(INDArray weight, INDArray bias, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
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

    @Override
    public Conv reinitialized(SplittableRandom random) {
        double bound = 1 / Math.sqrt((double) weight.size(1) * kernelH() * kernelW());
        return new Conv(LayerOp.uniform(random, weight, bound), LayerOp.uniform(random, bias, bound), strideH, strideW, padH, padW,
                dilationH, dilationW, groups);
    }

    @Override
    public long parameterCount() {
        return weight.length() + (bias == null ? 0 : bias.length());
    }

    @Override
    public String describe() {
        return (depthwise() ? "depthwise conv " : "conv ") + kernelH() + "x" + kernelW()
                + (strideH > 1 || strideW > 1 ? "/" + strideH : "")
                + (dilationH > 1 || dilationW > 1 ? " dilation " + dilationH : "")
                + (groups > 1 && !depthwise() ? " groups " + groups : "");
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        ShapeRules.image(node, this, x);
        if (inputChannels() != x[0]) {
            throw new IllegalArgumentException(node + ": convolution expects " + inputChannels() + " channels, gets " + x[0]);
        }
        // a dilated kernel runs as the undilated one with zeros between its taps
        SizeLimits.checkShape(node + ": the dilated kernel", new long[]{weight.size(0), weight.size(1),
                (long) dilationH * (kernelH() - 1) + 1, (long) dilationW * (kernelW() - 1) + 1});
        return new long[]{weight.size(0), ShapeRules.window(node, x[1], kernelH(), strideH, padH, dilationH),
                ShapeRules.window(node, x[2], kernelW(), strideW, padW, dilationW)};
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.IMAGE;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return convolve(c, c.name(), Conv::undilated, c.input(0));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(inputGradient(c, c.name(), Conv::undilated, c.input(0), g));
    }

    /** What the composite says of the first convolution or of the others. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        LrpRules.Linear linear = new LrpRules.Linear() {
            @Override
            public SDVariable apply(OpContext c, String variant, UnaryOperator<INDArray> weight, UnaryOperator<INDArray> bias, SDVariable x) {
                return convolve(c, LayerOp.variantKey(c, variant), conv -> conv.modified(weight, bias).undilated(), x);
            }

            @Override
            public SDVariable transpose(OpContext c, String variant, UnaryOperator<INDArray> weight, SDVariable x, SDVariable g) {
                return inputGradient(c, LayerOp.variantKey(c, variant), conv -> conv.modified(weight, b -> null).undilated(), x, g);
            }
        };
        return List.of(LrpRules.linear(c, linear, c.lrp().convolutionRule(c.firstConvolution()), r));
    }

    private Conv modified(UnaryOperator<INDArray> weight, UnaryOperator<INDArray> bias) {
        return new Conv(weight.apply(this.weight), this.bias == null ? null : bias.apply(this.bias), strideH, strideW, padH, padW,
                dilationH, dilationW, groups);
    }

    /**
     * The convolution {@code from} makes of the node's op (undilated, an LRP variant, one group), its
     * constants under {@code name}. Ungrouped and depthwise convolutions as one op; other grouped ones as
     * one convolution per group, concatenated.
     */
    private SDVariable convolve(OpContext c, String name, Function<Conv, Conv> from, SDVariable x) {
        SameDiff sd = c.sd();
        Conv conv = from.apply(this);
        if (conv.depthwise()) {
            SDVariable kernel = c.constant(name + "#depthwise-kernel", (op, w) -> w.depthwiseKernel(name, from.apply((Conv) op)));
            return conv.bias == null ? sd.cnn().depthWiseConv2d(x, kernel, conv.config())
                    : sd.cnn().depthWiseConv2d(x, kernel, bias(c, name, from), conv.config());
        }
        if (conv.groups > 1) {
            long in = conv.weight.size(1);
            SDVariable[] parts = new SDVariable[conv.groups];
            for (int i = 0; i < parts.length; i++) {
                int group = i;
                parts[i] = convolve(c, name + "#group" + i, from.andThen(whole -> whole.group(group)),
                        x.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(i * in, (i + 1) * in)));
            }
            return sd.concat(3, parts);
        }
        SDVariable kernel = c.constant(name + "#kernel", (op, w) -> w.forwardKernel(name, from.apply((Conv) op)));
        return conv.bias == null ? sd.cnn().conv2d(x, kernel, conv.config()) : sd.cnn().conv2d(x, kernel, bias(c, name, from), conv.config());
    }

    private static SDVariable bias(OpContext c, String name, Function<Conv, Conv> from) {
        return c.constant(name + "#bias", (op, w) -> w.vector(name + "#bias", from.apply((Conv) op).bias));
    }

    /** The input gradient of the convolution {@code from} makes of the node's op, its constants under {@code name}. */
    private SDVariable inputGradient(OpContext c, String name, Function<Conv, Conv> from, SDVariable x, SDVariable g) {
        SameDiff sd = c.sd();
        Conv conv = from.apply(this);
        if (conv.depthwise()) {
            SDVariable kernel = c.constant(name + "#depthwise-kernel", (op, w) -> w.depthwiseKernel(name, from.apply((Conv) op)));
            return new DepthwiseConv2DBp(sd, x, kernel, g, conv.config()).outputVariables()[0];
        }
        if (conv.groups > 1) {
            long in = conv.weight.size(1);
            long out = conv.weight.size(0) / conv.groups;
            SDVariable[] parts = new SDVariable[conv.groups];
            for (int i = 0; i < parts.length; i++) {
                int group = i;
                parts[i] = inputGradient(c, name + "#group" + i, from.andThen(whole -> whole.group(group)),
                        x.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(i * in, (i + 1) * in)),
                        g.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(i * out, (i + 1) * out)));
            }
            return sd.concat(3, parts);
        }
        // a stride-1 convolution's input gradient is a convolution with the flipped, transposed kernel
        int backPadH = conv.dilationH * (conv.kernelH() - 1) - conv.padH;
        int backPadW = conv.dilationW * (conv.kernelW() - 1) - conv.padW;
        if (conv.strideH == 1 && conv.strideW == 1 && backPadH >= 0 && backPadW >= 0) {
            SDVariable kernel = c.constant(name + "#backward-kernel", (op, w) -> w.backwardKernel(name, from.apply((Conv) op)));
            return sd.cnn().conv2d(g, kernel, Conv2DConfig.builder().kH(conv.kernelH()).kW(conv.kernelW()).sH(1).sW(1).pH(backPadH).pW(backPadW)
                    .dH(conv.dilationH).dW(conv.dilationW).dataFormat("NHWC").build());
        }
        return transposed(c, name, from, conv, g);
    }

    /**
     * A strided convolution's input gradient as a transposed convolution of g: conv2d_bp would compute
     * the weight gradients as well. Unpadded, it covers the padded input's rows [0, s(out-1)+k); the
     * input's rows are those from the padding on, and rows past the last window get no gradient.
     */
    private static SDVariable transposed(OpContext c, String name, Function<Conv, Conv> from, Conv conv, SDVariable g) {
        SDVariable kernel = c.constant(name + "#kernel", (op, w) -> w.forwardKernel(name, from.apply((Conv) op)));
        SDVariable full = c.sd().cnn().deconv2d(g, kernel, DeConv2DConfig.builder().kH(conv.kernelH()).kW(conv.kernelW())
                .sH(conv.strideH).sW(conv.strideW).pH(0).pW(0).dH(1).dW(1).isSameMode(false).dataFormat(DeConv2DConfig.NHWC).build());
        long[] in = c.inputShape(0);
        long[] out = c.outputShape();
        long coveredH = (long) conv.strideH * (out[1] - 1) + conv.kernelH();
        long coveredW = (long) conv.strideW * (out[2] - 1) + conv.kernelW();
        long endH = Math.min(coveredH, conv.padH + in[1]);
        long endW = Math.min(coveredW, conv.padW + in[2]);
        SDVariable inside = full.get(SDIndex.all(), SDIndex.interval((long) conv.padH, endH), SDIndex.interval((long) conv.padW, endW), SDIndex.all());
        long missingH = conv.padH + in[1] - endH;
        long missingW = conv.padW + in[2] - endW;
        if (missingH == 0 && missingW == 0) {
            return inside;
        }
        return c.sd().nn().pad(inside, c.sd().constant(Nd4j.createFromArray(new int[][]{{0, 0}, {0, (int) missingH}, {0, (int) missingW}, {0, 0}})),
                PadMode.CONSTANT, 0);
    }

    /**
     * A dilated convolution as the undilated one with zeros between the kernel's taps: the same map,
     * which oneDNN computes where its dilated float convolution refuses ("could not create a
     * descriptor for a dilated convolution forward propagation primitive", libnd4j 1.0.0-M2.1).
     */
    private Conv undilated() {
        if (dilationH == 1 && dilationW == 1) {
            return this;
        }
        INDArray spread = Nd4j.zeros(weight.dataType(), weight.size(0), weight.size(1), (long) dilationH * (weight.size(2) - 1) + 1,
                (long) dilationW * (weight.size(3) - 1) + 1);
        for (long y = 0; y < weight.size(2); y++) {
            for (long x = 0; x < weight.size(3); x++) {
                spread.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(y * dilationH), NDArrayIndex.point(x * dilationW))
                        .assign(weight.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(y), NDArrayIndex.point(x)));
            }
        }
        return new Conv(spread, bias, strideH, strideW, padH, padW, 1, 1, groups);
    }

    /** Group {@code i} of a grouped convolution as an ungrouped convolution. */
    private Conv group(int i) {
        long out = weight.size(0) / groups;
        INDArray w = weight.get(NDArrayIndex.interval(i * out, (i + 1) * out)).dup('c');
        INDArray b = bias == null ? null : bias.get(NDArrayIndex.interval(i * out, (i + 1) * out)).dup('c');
        return new Conv(w, b, strideH, strideW, padH, padW, dilationH, dilationW);
    }

    private Conv2DConfig config() {
        return Conv2DConfig.builder().kH(kernelH()).kW(kernelW()).sH(strideH).sW(strideW).pH(padH).pW(padW)
                .dH(dilationH).dW(dilationW).dataFormat("NHWC").build();
    }
}
