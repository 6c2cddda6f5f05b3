package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Concatenation along the channel axis. Linear. */
public record Concat() implements LayerOp {
    @Override
    public int arity() {
        return -1;
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        long total = 0;
        for (long[] other : in) {
            if (other.length != x.length || !Arrays.equals(Arrays.copyOfRange(other, 1, other.length), Arrays.copyOfRange(x, 1, x.length))) {
                throw new IllegalArgumentException(node + ": concat needs inputs that differ only in channels, gets " + Arrays.toString(x)
                        + " and " + Arrays.toString(other));
            }
            total += other[0];
        }
        long[] out = x.clone();
        out[0] = total;
        return out;
    }

    @Override
    public SDVariable forward(OpContext c) {
        SDVariable[] in = new SDVariable[c.inputCount()];
        for (int k = 0; k < in.length; k++) {
            in[k] = c.input(k);
        }
        return c.sd().concat(SdTensors.channelAxis(c.imageLayout(), c.outputShape().length), in);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        List<SDVariable> parts = new ArrayList<>();
        long from = 0;
        for (int k = 0; k < c.inputCount(); k++) {
            long to = from + c.inputShape(k)[0];
            parts.add(SdTensors.channels(g, from, to, c.imageLayout(), c.outputShape().length));
            from = to;
        }
        return parts;
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
