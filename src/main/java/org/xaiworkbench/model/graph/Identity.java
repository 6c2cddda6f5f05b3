package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.List;

/** Passes its input on: dropout in inference, identity. */
public record Identity() implements LayerOp {
    @Override
    public int arity() {
        return 1;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        return in.get(0);
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.input(0);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(g);
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
