package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.List;

/** Channels [from, to) of an image or features [from, to) of a vector. */
public record ChannelSlice(int from, int to) implements LayerOp {
    public ChannelSlice {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("a channel slice needs 0 <= from < to, got " + from + ".." + to);
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return "channels " + from + ".." + to;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (to > x[0]) {
            throw new IllegalArgumentException(node + ": channels " + from + ".." + to + " of " + x[0]);
        }
        long[] out = x.clone();
        out[0] = to - from;
        return out;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return SdTensors.channels(c.input(0), from, to, c.imageLayout(), c.outputShape().length);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        long[] in = c.inputShape(0);
        return List.of(SdTensors.zeroPadded(g, in.length, SdTensors.channelAxis(c.imageLayout(), in.length), from, (int) in[0] - to));
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
