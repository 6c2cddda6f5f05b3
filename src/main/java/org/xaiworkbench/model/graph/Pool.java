package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Max or average pooling with symmetric padding; {@code countPadding} makes averages divide by the
 * whole window; {@code ceilMode} counts a last window that starts inside the input (or its left
 * padding) but runs past the end, as PyTorch's ceil_mode does (max pooling only).
 */
public record Pool(Mode mode, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean countPadding,
                   boolean ceilMode) implements LayerOp {
    public enum Mode { MAX, AVERAGE }

    /** True when the windows tile the input: no position is in two windows. */
    public boolean tiles() {
        return kernelH == strideH && kernelW == strideW && padH == 0 && padW == 0;
    }

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

    @Override
    public String describe() {
        return (mode == Mode.MAX ? "max-pool " : "avg-pool ") + kernelH + "x" + kernelW + (strideH != kernelH ? "/" + strideH : "")
                + (ceilMode ? " ceil" : "");
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        ShapeRules.image(node, this, x);
        if (ceilMode) {
            return new long[]{x[0], ShapeRules.ceilWindow(node, x[1], kernelH, strideH, padH), ShapeRules.ceilWindow(node, x[2], kernelW, strideW, padW)};
        }
        return new long[]{x[0], ShapeRules.window(node, x[1], kernelH, strideH, padH, 1), ShapeRules.window(node, x[2], kernelW, strideW, padW, 1)};
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.IMAGE;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return pool(c, c.input(0));
    }

    /**
     * The gradient, or for a max-pool under DeepLIFT Captum's rule: the change of each window's maximum
     * goes to the position that holds it, a rise through the input's arg-max, a fall through the
     * baseline's, which keeps the sum exact where a gradient pass-through would not.
     */
    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        SDVariable a = c.input(0);
        if (!c.rescale() || mode != Mode.MAX) {
            return List.of(derivative(c, a, g));
        }
        SameDiff sd = c.sd();
        SDVariable p = c.output();
        SDVariable a0 = c.referenceInput(0);
        SDVariable p0 = c.referenceOutput();
        SDVariable top = sd.math().max(p, p0);
        SDVariable rise = derivative(c, a, g.mul(top.sub(p0)));
        SDVariable fall = derivative(c, a0, g.mul(p.sub(top)));
        SDVariable da = a.sub(a0);
        SDVariable small = sd.math().abs(da).lt(OpContext.RESCALE_EPS).castTo(c.dataType());
        return List.of(rise.add(fall).div(da.add(small)).mul(small.rsub(1.0)).add(derivative(c, a, g).mul(small)));
    }

    /** This node's pooling of a channels-last x of its input's shape. */
    SDVariable pool(OpContext c, SDVariable x) {
        SDVariable padded = overhang(c, x);
        return mode == Mode.MAX ? c.sd().cnn().maxPooling2d(padded, config()) : c.sd().cnn().avgPooling2d(padded, config());
    }

    /** The gradient reaching a channels-last pool input, given the gradient at the output. */
    SDVariable derivative(OpContext c, SDVariable poolInput, SDVariable gradOut) {
        SDVariable g = Pooling2DDerivative.derivativeBuilder().sameDiff(c.sd()).inputs(new SDVariable[]{overhang(c, poolInput), gradOut})
                .config(config()).build().outputVariable();
        int[] extra = overhang(c);
        if (extra[0] == 0 && extra[1] == 0) {
            return g;
        }
        long[] s = c.inputShape(0);
        return g.get(SDIndex.all(), SDIndex.interval(0L, s[1]), SDIndex.interval(0L, s[2]), SDIndex.all());
    }

    /**
     * A ceil-mode max-pool's input with the rows and columns its last windows run past the end, filled
     * with the lowest finite value so that they never hold a window's maximum (every window starts
     * inside the input).
     */
    private SDVariable overhang(OpContext c, SDVariable x) {
        int[] extra = overhang(c);
        if (extra[0] == 0 && extra[1] == 0) {
            return x;
        }
        double lowest = c.dataType() == DataType.DOUBLE ? -Double.MAX_VALUE : -Float.MAX_VALUE;
        return c.sd().nn().pad(x, c.sd().constant(Nd4j.createFromArray(new int[][]{{0, 0}, {0, extra[0]}, {0, extra[1]}, {0, 0}})),
                PadMode.CONSTANT, lowest);
    }

    private int[] overhang(OpContext c) {
        if (!ceilMode) {
            return new int[]{0, 0};
        }
        long[] in = c.inputShape(0);
        long[] out = c.outputShape();
        return new int[]{ShapeRules.ceilOverhang(in[1], kernelH, strideH, padH, out[1]), ShapeRules.ceilOverhang(in[2], kernelW, strideW, padW, out[2])};
    }

    private Pooling2DConfig config() {
        boolean max = mode == Mode.MAX;
        return Pooling2DConfig.builder().kH(kernelH).kW(kernelW).sH(strideH).sW(strideW).pH(padH).pW(padW)
                .dH(1).dW(1).type(max ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                // libnd4j reads the averaging divisor from "extra" (1: the whole window, 0: real pixels only)
                .divisor(countPadding ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING).extra(countPadding ? 1 : 0)
                .isNHWC(true).build();
    }

    /** A max-pool routes relevance to each window's maximum as its gradient does; an average pool shares it (Norm rule). */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return mode == Mode.MAX ? backward(c, r) : LrpRules.norm(c, this, r);
    }
}
