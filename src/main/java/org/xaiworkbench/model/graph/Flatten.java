package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.Arrays;
import java.util.List;

/** [N,C,H,W] to [N,C*H*W] in channel-major order, PyTorch's view(N, -1). */
public record Flatten() implements LayerOp {
    @Override
    public int arity() {
        return 1;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        return new long[]{Arrays.stream(in.get(0)).reduce(1, (a, b) -> a * b)};
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        long[] s = c.inputShape(0);
        return s.length > 1 ? c.input(0).reshape(-1, Arrays.stream(s).reduce(1, (a, b) -> a * b)) : c.input(0);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        long[] s = c.inputShape(0);
        return List.of(s.length > 1 ? g.reshape(SdTensors.withBatchSize(s)) : g);
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
