package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.List;

/** The image's channels reordered: output channel i is input channel {@code order[i]} (a channel shuffle). */
public record ChannelPermute(int[] order) implements LayerOp {
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

    @Override
    public String describe() {
        return "channel shuffle";
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (order.length != x[0]) {
            throw new IllegalArgumentException(node + ": a channel order of " + order.length + " for " + x[0] + " channels");
        }
        return x;
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.IMAGE;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.sd().gather(c.input(0), order, 3);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(c.sd().gather(g, SdTensors.inverse(order), 3));
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
