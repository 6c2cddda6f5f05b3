package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.Arrays;
import java.util.List;

/** The matrix product of two layers over their last two axes, batched over the others (attention's q k^T and its weights times v). */
public record MatMul() implements LayerOp {
    @Override
    public int arity() {
        return 2;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        long[] y = in.get(1);
        if (x.length < 2 || y.length < 2 || x[x.length - 1] != y[y.length - 2]) {
            throw new IllegalArgumentException(node + ": a matrix product of " + Arrays.toString(x) + " and " + Arrays.toString(y));
        }
        long[] batch = Arrays.copyOf(x, x.length - 2);
        if (!Arrays.equals(batch, Arrays.copyOf(y, y.length - 2))) {
            throw new IllegalArgumentException(node + ": a matrix product needs equal leading axes, gets " + Arrays.toString(x) + " and "
                    + Arrays.toString(y));
        }
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = x[x.length - 2];
        out[batch.length + 1] = y[y.length - 1];
        return out;
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.sd().mmul(c.input(0), c.input(1));
    }

    /** DeepLIFT: AB - A0B0 = (A - A0)(B + B0)/2 + (A + A0)/2 (B - B0) for a bilinear map. */
    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        SDVariable a = c.rescale() ? c.input(0).add(c.referenceInput(0)).mul(0.5) : c.input(0);
        SDVariable b = c.rescale() ? c.input(1).add(c.referenceInput(1)).mul(0.5) : c.input(1);
        return List.of(c.sd().mmul(g, b, false, true, false), c.sd().mmul(a, g, true, false, false));
    }
}
