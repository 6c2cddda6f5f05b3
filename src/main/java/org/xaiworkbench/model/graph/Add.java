package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.ArrayList;
import java.util.List;

/** Element-wise sum of inputs, broadcast numpy-style: residual connections. Linear. */
public record Add() implements LayerOp {
    @Override
    public int arity() {
        return -1;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] out = in.get(0);
        for (long[] other : in) {
            out = ShapeRules.broadcast(node, this, out, other);
        }
        return out;
    }

    @Override
    public SDVariable forward(OpContext c) {
        List<SDVariable> in = new ArrayList<>();
        for (int k = 0; k < c.inputCount(); k++) {
            in.add(c.input(k));
        }
        return SdTensors.sum(in);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        List<SDVariable> parts = new ArrayList<>();
        for (int k = 0; k < c.inputCount(); k++) {
            parts.add(c.reduceToInput(g, k));
        }
        return parts;
    }

    /** Each input keeps its share of the sum (Zennit's Norm rule). */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return LrpRules.norm(c, this, r);
    }
}
