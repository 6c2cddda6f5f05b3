package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.Arrays;
import java.util.List;

/** A view of the same values in another shape (without the batch axis), row-major as PyTorch's reshape. */
public record Reshape(long[] shape) implements LayerOp {
    public Reshape {
        shape = shape.clone();
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("a reshape needs dimensions >= 1, got " + Arrays.toString(shape));
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (SizeLimits.values(shape) != SizeLimits.values(x)) {
            throw new IllegalArgumentException(node + ": reshape of " + Arrays.toString(x) + " to " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.input(0).reshape(SdTensors.withBatchSize(shape));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(g.reshape(SdTensors.withBatchSize(c.inputShape(0))));
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
