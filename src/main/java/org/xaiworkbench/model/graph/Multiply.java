package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.ArrayList;
import java.util.List;

/**
 * The element-wise product of two inputs, broadcast numpy-style (a 1x1 image scales an HxW one per
 * channel, as in squeeze-and-excitation; [H,W,1] scales [H,W,C]).
 */
public record Multiply() implements LayerOp {
    @Override
    public int arity() {
        return 2;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        return ShapeRules.broadcast(node, this, in.get(0), in.get(1));
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.input(0).mul(c.input(1));
    }

    /** DeepLIFT: ab - a0b0 = (b + b0)/2 (a - a0) + (a + a0)/2 (b - b0), so each factor's multiplier is the other's mean. */
    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        List<SDVariable> parts = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            SDVariable factor = c.rescale() ? c.input(1 - k).add(c.referenceInput(1 - k)).mul(0.5) : c.input(1 - k);
            parts.add(c.reduceToInput(g.mul(factor), k));
        }
        return parts;
    }
}
