package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.Arrays;
import java.util.List;

/** Indices [from, to) of one axis after the batch axis (0 the first) of a plain tensor. */
public record Slice(int axis, int from, int to) implements LayerOp {
    public Slice {
        if (axis < 0 || from < 0 || to <= from) {
            throw new IllegalArgumentException("a slice needs an axis >= 0 and 0 <= from < to, got " + axis + ": " + from + ".." + to);
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (axis >= x.length || to > x[axis]) {
            throw new IllegalArgumentException(node + ": a slice " + from + ".." + to + " of axis " + axis + " of " + Arrays.toString(x));
        }
        long[] out = x.clone();
        out[axis] = to - from;
        return out;
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.input(0).get(SdTensors.axisInterval(c.inputShape(0).length, axis, from, to));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        long[] in = c.inputShape(0);
        return List.of(SdTensors.zeroPadded(g, in.length, axis + 1, from, (int) in[axis] - to));
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
