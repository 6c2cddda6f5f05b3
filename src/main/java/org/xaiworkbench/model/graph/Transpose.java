package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.Arrays;
import java.util.List;

/** A permutation of the axes after the batch axis (ONNX Transpose with the batch axis kept first). */
public record Transpose(int[] order) implements LayerOp {
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

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (order.length != x.length) {
            throw new IllegalArgumentException(node + ": a transpose of " + order.length + " axes for " + Arrays.toString(x));
        }
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[order[i]];
        }
        return out;
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.sd().permute(c.input(0), SdTensors.withBatch(order));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(c.sd().permute(g, SdTensors.withBatch(SdTensors.inverse(order))));
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
