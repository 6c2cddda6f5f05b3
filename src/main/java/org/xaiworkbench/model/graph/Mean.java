package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The mean over some axes after the batch axis (0 is the first of them), kept as size 1 or dropped. Linear. */
public record Mean(int[] axes, boolean keepDimensions) implements LayerOp {
    public Mean {
        axes = axes.clone();
        if (axes.length == 0 || Arrays.stream(axes).anyMatch(a -> a < 0)) {
            throw new IllegalArgumentException("a mean needs axes >= 0");
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return "mean " + Arrays.toString(axes);
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            final int axis = i;
            boolean reduced = Arrays.stream(axes).anyMatch(a -> a == axis);
            if (!reduced || keepDimensions) {
                out.add(reduced ? 1L : x[i]);
            }
        }
        if (Arrays.stream(axes).anyMatch(a -> a >= x.length) || out.isEmpty()) {
            throw new IllegalArgumentException(node + ": a mean over axes " + Arrays.toString(axes) + " of " + Arrays.toString(x));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** A spatial mean that keeps its axes is a global average pool of an image; other means work on plain tensors. */
    @Override
    public Layout layout(long[] outputShape) {
        return outputShape.length == 3 && Arrays.equals(axes, new int[]{1, 2}) && keepDimensions ? Layout.IMAGE : Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.sd().mean(c.input(0), keepDimensions, SdTensors.layoutAxes(axes, c.imageLayout()));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        long[] in = SdTensors.layoutShape(c.inputShape(0), c.imageLayout());
        long count = 1;
        long[] kept = in.clone();
        for (int axis : SdTensors.layoutAxes(axes, c.imageLayout())) {
            count *= in[axis - 1];
            kept[axis - 1] = 1;
        }
        return List.of(c.sd().zerosLike(c.input(0)).add(g.reshape(SdTensors.withBatchSize(kept)).div(count)));
    }
}
