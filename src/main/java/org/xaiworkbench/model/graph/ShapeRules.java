package org.xaiworkbench.model.graph;

import java.util.Arrays;

/** The shape arithmetic ops share: windows, broadcasting, image inputs. */
public final class ShapeRules {
    private ShapeRules() {
    }

    /** numpy's broadcast of two shapes, aligned at their last axes; throws naming the node and op. */
    public static long[] broadcast(String node, LayerOp op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i - rank + a.length < 0 ? 1 : a[i - rank + a.length];
            long db = i - rank + b.length < 0 ? 1 : b[i - rank + b.length];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(node + ": " + op.describe() + " cannot broadcast " + Arrays.toString(a) + " and "
                        + Arrays.toString(b));
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** A constant's shape with the leading 1s that stand for the batch axis (or nothing) dropped. */
    public static long[] withoutBatch(long[] shape) {
        int first = 0;
        while (first < shape.length - 1 && shape[first] == 1) {
            first++;
        }
        return Arrays.copyOfRange(shape, first, shape.length);
    }

    static void image(String node, LayerOp op, long[] x) {
        if (x.length != 3) {
            throw new IllegalArgumentException(node + ": " + op.describe() + " needs an image input, gets " + Arrays.toString(x));
        }
    }

    static long window(String node, long size, int kernel, int stride, int pad, int dilation) {
        long extent = (long) dilation * (kernel - 1) + 1;
        long out = (size + 2L * pad - extent) / stride + 1;
        if (size + 2L * pad < extent || out < 1) {
            throw new IllegalArgumentException(node + ": a " + kernel + "-wide window does not fit an input of " + size + " with padding " + pad);
        }
        return out;
    }

    /**
     * PyTorch's ceil_mode: the last window may run past the input's end but must start inside the
     * input or its left padding.
     */
    static long ceilWindow(String node, long size, int kernel, int stride, int pad) {
        long floor = window(node, size, kernel, stride, pad, 1);
        long out = Math.floorDiv(size + 2L * pad - kernel + stride - 1, stride) + 1;
        if ((out - 1) * stride >= size + pad) {
            out--;
        }
        return Math.max(out, floor);
    }

    /** Rows (or columns) a ceil-mode window adds past the input and its padding: the bottom (or right) overhang. */
    static int ceilOverhang(long size, int kernel, int stride, int pad, long outputs) {
        return (int) Math.max(0, (outputs - 1) * stride + kernel - (size + 2L * pad));
    }
}
