package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.Arrays;
import java.util.List;

/** Softmax along one axis after the batch axis (attention weights). DeepLIFT has no rule for it. */
public record Softmax(int axis) implements LayerOp {
    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return "softmax (axis " + axis + ")";
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (axis < 0 || axis >= x.length) {
            throw new IllegalArgumentException(node + ": softmax along axis " + axis + " of " + Arrays.toString(x));
        }
        return x;
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.sd().nn().softmax(c.input(0), axis + 1);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        if (c.rescale()) {
            throw new IllegalArgumentException(c.name() + ": DeepLIFT has no rule for softmax; use integrated gradients instead");
        }
        SDVariable p = c.output();
        return List.of(p.mul(g.sub(g.mul(p).sum(true, axis + 1))));
    }
}
