package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/** Small SameDiff pieces several ops use: batch axes, intervals, layouts. Axes "after the batch" count from 0. */
final class SdTensors {
    private SdTensors() {
    }

    /** A permutation of the axes after the batch, as one of all axes with the batch first. */
    static int[] withBatch(int[] order) {
        int[] out = new int[order.length + 1];
        for (int i = 0; i < order.length; i++) {
            out[i + 1] = order[i] + 1;
        }
        return out;
    }

    /** The inverse of a permutation. */
    static int[] inverse(int[] order) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < inverse.length; i++) {
            inverse[order[i]] = i;
        }
        return inverse;
    }

    /** A shape without the batch axis as a reshape target with any batch size. */
    static long[] withBatchSize(long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = -1;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    /** An index taking [from, to) of one axis after the batch axis of a tensor of that rank (without the batch), all of the others. */
    static SDIndex[] axisInterval(int rank, int axis, long from, long to) {
        SDIndex[] index = new SDIndex[rank + 1];
        Arrays.fill(index, SDIndex.all());
        index[axis + 1] = SDIndex.interval(from, to);
        return index;
    }

    /** The channel axis (counting the batch) of a tensor of that rank without the batch: the last of a channels-last image. */
    static int channelAxis(boolean imageLayout, int rank) {
        return imageLayout && rank == 3 ? 3 : 1;
    }

    /** Channels [from, to) of a tensor of that rank. */
    static SDVariable channels(SDVariable t, long from, long to, boolean imageLayout, int rank) {
        SDIndex[] index = new SDIndex[rank + 1];
        Arrays.fill(index, SDIndex.all());
        index[channelAxis(imageLayout, rank)] = SDIndex.interval(from, to);
        return t.get(index);
    }

    /** t with zeros before and after one axis (counting the batch) of a tensor of that rank. */
    static SDVariable zeroPadded(SDVariable t, int rank, int axis, int before, int after) {
        int[][] padding = new int[rank + 1][2];
        padding[axis] = new int[]{before, after};
        return t.getSameDiff().nn().pad(t, t.getSameDiff().constant(Nd4j.createFromArray(padding)), PadMode.CONSTANT, 0);
    }

    /** A shape without the batch axis as the layout holds it: [H,W,C] for a channels-last image. */
    static long[] layoutShape(long[] shape, boolean imageLayout) {
        return imageLayout && shape.length == 3 ? new long[]{shape[1], shape[2], shape[0]} : shape;
    }

    /** Axes after the batch axis (PyTorch's, 0 the first) as the layout's axes, counting the batch axis. */
    static int[] layoutAxes(int[] axes, boolean imageLayout) {
        int[] channelsLast = {3, 1, 2};
        return Arrays.stream(axes).map(a -> imageLayout ? channelsLast[a] : a + 1).toArray();
    }

    static SDVariable sum(List<SDVariable> parts) {
        SDVariable total = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            total = total.add(parts.get(i));
        }
        return total;
    }
}
