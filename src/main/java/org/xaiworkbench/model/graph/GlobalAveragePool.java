package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.List;

/** The mean over height and width: [N,C,H,W] to [N,C,1,1] (flatten it for [N,C]). Linear. */
public record GlobalAveragePool() implements LayerOp {
    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return "global avg-pool";
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        ShapeRules.image(node, this, x);
        return new long[]{x[0], 1, 1};
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.IMAGE;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.sd().mean(c.input(0), true, 1, 2);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        long[] s = c.inputShape(0);
        return List.of(c.sd().zerosLike(c.input(0)).add(g.div(s[1] * s[2])));
    }

    /** Each input keeps its share of the sum (Zennit's Norm rule). */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return LrpRules.norm(c, this, r);
    }
}
