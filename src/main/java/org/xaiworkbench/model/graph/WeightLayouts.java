package org.xaiworkbench.model.graph;


import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The layer graph's weights in the layouts SameDiff's ops read, in the classifier's data type, made
 * once and shared by every graph built from one {@link LayerGraph}.
 */
final class WeightLayouts {
    private final DataType dataType;
    private final Map<String, INDArray> arrays = new HashMap<>();

    WeightLayouts(DataType dataType) {
        this.dataType = dataType;
    }

    /** PyTorch [out,in,kh,kw] to SameDiff's default YXIO [kh,kw,in,out]. */
    INDArray forwardKernel(String node, Conv conv) {
        return cached(node + "#kernel", k -> conv.weight().castTo(dataType).permute(2, 3, 1, 0).dup('c'));
    }

    /** A depthwise convolution's PyTorch [C*m,1,kh,kw] to SameDiff's depthwise [kh,kw,C,m] (output channel c*m + j). */
    INDArray depthwiseKernel(String node, Conv conv) {
        return cached(node + "#depthwise-kernel", k -> {
            INDArray w = conv.weight().castTo(dataType);
            long channels = conv.inputChannels();
            return w.reshape('c', channels, w.size(0) / channels, w.size(2), w.size(3)).permute(2, 3, 0, 1).dup('c');
        });
    }

    /**
     * The kernel whose stride-1 convolution is a stride-1 convolution's input gradient: spatially
     * flipped, in and out swapped, in YXIO layout [kh,kw,out,in].
     */
    INDArray backwardKernel(String node, Conv conv) {
        return cached(node + "#backward-kernel", k -> {
            INDArray w = conv.weight().castTo(dataType);
            long kh = w.size(2);
            long kw = w.size(3);
            INDArray flipped = Nd4j.create(dataType, w.shape());
            for (long y = 0; y < kh; y++) {
                for (long x = 0; x < kw; x++) {
                    flipped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(kh - 1 - y), NDArrayIndex.point(kw - 1 - x))
                            .assign(w.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(y), NDArrayIndex.point(x)));
                }
            }
            return flipped.permute(2, 3, 0, 1).dup('c');
        });
    }

    /** A dense weight as given, [out,in]: the op's own array when it is already contiguous in this type (nothing writes to either). */
    INDArray denseWeight(String node, Dense dense) {
        return cached(node + "#weight", k -> contiguous(dense.weight()));
    }

    /**
     * A dense weight transposed to [in,out]. oneDNN's matmul with a transposed right operand runs
     * several times slower at 16-50 rows than with this copy, while for one row it is slightly
     * faster, and one copy of the weights stays in the CPU cache between calls where two do not: so
     * single-row graphs read {@link #denseWeight} transposed in the op, other graphs this copy.
     */
    INDArray denseWeightTransposed(String node, Dense dense) {
        return cached(node + "#weight-transposed", k -> dense.weight().castTo(dataType).transpose().dup('c'));
    }

    /**
     * A constant of ConstantArithmetic, shaped to broadcast against the batch of the layout: its shape
     * without the batch's leading 1s, and for a channels-last image [H,W,C] from PyTorch's [C,H,W].
     */
    INDArray broadcastConstant(String node, INDArray constant, boolean imageLayout) {
        return cached(node + "#constant", k -> {
            long[] shape = ShapeRules.withoutBatch(constant.shape());
            INDArray c = constant.castTo(dataType).reshape(shape);
            if (imageLayout && shape.length <= 3) {
                long[] padded = new long[3];
                java.util.Arrays.fill(padded, 1);
                System.arraycopy(shape, 0, padded, 3 - shape.length, shape.length);
                c = c.reshape(padded).permute(1, 2, 0);
            }
            long[] withBatch = new long[c.rank() + 1];
            withBatch[0] = 1;
            System.arraycopy(c.shape(), 0, withBatch, 1, c.rank());
            return c.dup('c').reshape(withBatch);
        });
    }

    /** A constant of one image's shape with a batch axis of 1 in front. */
    INDArray perImageConstant(String node, INDArray constant) {
        return cached(node + "#per-image", k -> {
            long[] withBatch = new long[constant.rank() + 1];
            withBatch[0] = 1;
            System.arraycopy(constant.shape(), 0, withBatch, 1, constant.rank());
            return constant.castTo(dataType).dup('c').reshape(withBatch);
        });
    }

    /** A per-channel or per-feature vector ([C]), which broadcasts over the last axis of channels-last data. */
    INDArray vector(String key, INDArray values) {
        return cached(key, k -> contiguous(values).reshape(values.length()));
    }

    private INDArray contiguous(INDArray array) {
        boolean usable = array.dataType() == dataType && array.ordering() == 'c' && !array.isView();
        return usable ? array : array.castTo(dataType).dup('c');
    }

    /**
     * Layouts for the same graph with {@code nodes}' parameters drawn afresh: the arrays of every other
     * node are shared (a randomized copy of a model re-lays only the layers it changed).
     */
    WeightLayouts sharedExcept(Set<String> nodes) {
        WeightLayouts copy = new WeightLayouts(dataType);
        synchronized (arrays) {
            arrays.forEach((key, array) -> {
                if (nodes.stream().noneMatch(node -> key.startsWith(node + "#"))) {
                    copy.arrays.put(key, array);
                }
            });
        }
        return copy;
    }

    private INDArray cached(String key, Function<String, INDArray> make) {
        synchronized (arrays) {
            return arrays.computeIfAbsent(key, make);
        }
    }
}
