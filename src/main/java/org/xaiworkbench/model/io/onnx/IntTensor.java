package org.xaiworkbench.model.io.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongBinaryOperator;
import java.util.stream.Collectors;

/**
 * A small integer tensor known at import time: the shape arithmetic the exporter writes around
 * {@code x.size()}, {@code view} and {@code F.pad} (Shape, Gather, Slice, Concat, Reshape, ...), folded
 * before any layer runs. {@link #BATCH} stands for the batch size, which is only known at run time: it
 * may be moved around but not computed with.
 *
 * @param values row-major values
 * @param dims   the shape; empty for a scalar
 */
record IntTensor(long[] values, long[] dims) {
    static final long BATCH = Long.MIN_VALUE;
    /** Larger tensors are not shape arithmetic; refusing them keeps a hostile file from allocating much. */
    private static final long MAX_VALUES = 1 << 16;

    IntTensor {
        long count = count(dims);
        if (count != values.length) {
            throw new IllegalArgumentException("an integer tensor of shape " + Arrays.toString(dims) + " holds " + values.length + " values");
        }
    }

    static IntTensor vector(long... values) {
        return new IntTensor(values, new long[]{values.length});
    }

    int rank() {
        return dims.length;
    }

    static long count(long[] dims) {
        long count = 1;
        for (long d : dims) {
            if (d < 0 || d > MAX_VALUES || (count *= d) > MAX_VALUES) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " is not one of a small integer tensor");
            }
        }
        return count;
    }

    /** Element-wise arithmetic with numpy broadcasting; the batch size takes no part in it. */
    IntTensor combine(IntTensor other, LongBinaryOperator op, String name) {
        if (Arrays.stream(values).anyMatch(v -> v == BATCH) || Arrays.stream(other.values).anyMatch(v -> v == BATCH)) {
            throw new IllegalArgumentException(name + " of the batch size is not supported (export with a fixed batch size or x.view(x.size(0), -1))");
        }
        int rank = Math.max(rank(), other.rank());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long a = dim(this, i - rank + rank());
            long b = dim(other, i - rank + other.rank());
            if (a != b && a != 1 && b != 1) {
                throw new IllegalArgumentException(name + " of shapes " + Arrays.toString(dims) + " and " + Arrays.toString(other.dims));
            }
            out[i] = Math.max(a, b);
        }
        long[] result = new long[(int) count(out)];
        long[] index = new long[rank];
        for (int k = 0; k < result.length; k++) {
            result[k] = op.applyAsLong(at(this, index, rank), at(other, index, rank));
            increment(index, out);
        }
        return new IntTensor(result, out);
    }

    private static long dim(IntTensor t, int axis) {
        return axis < 0 ? 1 : t.dims[axis];
    }

    /** The value at a broadcast index of the result's rank. */
    private static long at(IntTensor t, long[] index, int rank) {
        long flat = 0;
        for (int i = 0; i < t.rank(); i++) {
            long d = t.dims[i];
            flat = flat * d + (d == 1 ? 0 : index[i + rank - t.rank()]);
        }
        return t.values[(int) flat];
    }

    private static void increment(long[] index, long[] dims) {
        for (int i = index.length - 1; i >= 0; i--) {
            if (++index[i] < dims[i]) {
                return;
            }
            index[i] = 0;
        }
    }

    /** numpy's take along one axis. */
    IntTensor gather(IntTensor indices, int axis) {
        int a = axis(axis);
        long[] outDims = new long[rank() - 1 + indices.rank()];
        System.arraycopy(dims, 0, outDims, 0, a);
        System.arraycopy(indices.dims, 0, outDims, a, indices.rank());
        System.arraycopy(dims, a + 1, outDims, a + indices.rank(), rank() - a - 1);
        long outer = Arrays.stream(dims, 0, a).reduce(1, (x, y) -> x * y);
        long inner = Arrays.stream(dims, a + 1, rank()).reduce(1, (x, y) -> x * y);
        long[] out = new long[(int) count(outDims)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long i : indices.values) {
                long j = i < 0 ? i + dims[a] : i;
                if (j < 0 || j >= dims[a]) {
                    throw new IllegalArgumentException("index " + i + " is outside an axis of " + dims[a]);
                }
                for (long n = 0; n < inner; n++) {
                    out[k++] = values[(int) ((o * dims[a] + j) * inner + n)];
                }
            }
        }
        return new IntTensor(out, outDims);
    }

    /** ONNX Slice: for each axis, start (inclusive), end (exclusive) and step, clamped as numpy does. */
    IntTensor slice(long[] starts, long[] ends, long[] axes, long[] steps) {
        long[] from = new long[rank()];
        long[] step = new long[rank()];
        long[] outDims = dims.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int a = axis(axes == null ? i : (int) axes[i]);
            long s = steps == null ? 1 : steps[i];
            if (s == 0) {
                throw new IllegalArgumentException("a slice step of 0");
            }
            long n = dims[a];
            long start = clamp(starts[i] < 0 ? starts[i] + n : starts[i], s > 0 ? 0 : -1, s > 0 ? n : n - 1);
            long end = clamp(ends[i] < 0 ? ends[i] + n : ends[i], s > 0 ? 0 : -1, s > 0 ? n : n - 1);
            from[a] = start;
            step[a] = s;
            outDims[a] = s > 0 ? Math.max(0, (end - start + s - 1) / s) : Math.max(0, (start - end - s - 1) / -s);
        }
        long[] out = new long[(int) count(outDims)];
        long[] index = new long[rank()];
        for (int k = 0; k < out.length; k++) {
            long flat = 0;
            for (int i = 0; i < rank(); i++) {
                flat = flat * dims[i] + from[i] + index[i] * step[i];
            }
            out[k] = values[(int) flat];
            increment(index, outDims);
        }
        return new IntTensor(out, outDims);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    IntTensor transpose(long[] perm) {
        long[] p = perm == null ? reversed(rank()) : perm;
        long[] outDims = new long[rank()];
        for (int i = 0; i < rank(); i++) {
            outDims[i] = dims[axis((int) p[i])];
        }
        long[] out = new long[values.length];
        long[] index = new long[rank()];
        for (int k = 0; k < out.length; k++) {
            long flat = 0;
            long[] source = new long[rank()];
            for (int i = 0; i < rank(); i++) {
                source[(int) p[i]] = index[i];
            }
            for (int i = 0; i < rank(); i++) {
                flat = flat * dims[i] + source[i];
            }
            out[k] = values[(int) flat];
            increment(index, outDims);
        }
        return new IntTensor(out, outDims);
    }

    private static long[] reversed(int rank) {
        long[] p = new long[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = rank - 1 - i;
        }
        return p;
    }

    /** ONNX Reshape: 0 copies the dimension, -1 is inferred. */
    IntTensor reshape(long[] shape) {
        return new IntTensor(values, resolve(shape, dims, values.length));
    }

    /** A Reshape's target with 0 (copy) and -1 (infer) resolved for an input of {@code dims} and {@code count} values. */
    static long[] resolve(long[] shape, long[] dims, long count) {
        long[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && i < dims.length) {
                out[i] = dims[i];
            }
            if (out[i] == -1 && infer < 0) {
                infer = i;
            } else if (out[i] < 1) {
                throw new IllegalArgumentException("reshape to " + Arrays.toString(shape));
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            out[infer] = count / known;
        }
        if (Arrays.stream(out).reduce(1, (a, b) -> a * b) != count) {
            throw new IllegalArgumentException("reshape of " + count + " values to " + Arrays.toString(shape));
        }
        return out;
    }

    IntTensor unsqueeze(long[] axes) {
        int rank = rank() + axes.length;
        long[] sorted = Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
        long[] out = new long[rank];
        int j = 0;
        for (int i = 0; i < rank; i++) {
            final int axis = i;
            out[i] = Arrays.stream(sorted).anyMatch(a -> a == axis) ? 1 : dims[j++];
        }
        return new IntTensor(values, out);
    }

    IntTensor squeeze(long[] axes) {
        List<Long> kept = new java.util.ArrayList<>();
        for (int i = 0; i < rank(); i++) {
            final int axis = i;
            boolean named = axes == null ? dims[i] == 1 : Arrays.stream(axes).anyMatch(a -> (a < 0 ? a + rank() : a) == axis);
            if (!named) {
                kept.add(dims[i]);
            } else if (dims[i] != 1) {
                throw new IllegalArgumentException("squeezing axis " + i + " of size " + dims[i]);
            }
        }
        return new IntTensor(values, kept.stream().mapToLong(Long::longValue).toArray());
    }

    static IntTensor concat(List<IntTensor> parts, int axis) {
        IntTensor first = parts.get(0);
        int a = first.axis(axis);
        long[] outDims = first.dims.clone();
        outDims[a] = parts.stream().mapToLong(p -> p.dims[a]).sum();
        long outer = Arrays.stream(first.dims, 0, a).reduce(1, (x, y) -> x * y);
        long[] out = new long[(int) count(outDims)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (IntTensor p : parts) {
                if (p.rank() != first.rank()) {
                    throw new IllegalArgumentException("concatenating tensors of ranks " + first.rank() + " and " + p.rank());
                }
                long block = p.values.length / Math.max(1, outer);
                for (long n = 0; n < block; n++) {
                    out[k++] = p.values[(int) (o * block + n)];
                }
            }
        }
        return new IntTensor(out, outDims);
    }

    private int axis(int axis) {
        int a = axis < 0 ? axis + rank() : axis;
        if (a < 0 || a >= rank()) {
            throw new IllegalArgumentException("axis " + axis + " of a rank-" + rank() + " tensor");
        }
        return a;
    }

    @Override
    public String toString() {
        return "[" + Arrays.stream(values).mapToObj(v -> v == BATCH ? "batch" : String.valueOf(v)).collect(Collectors.joining(", ")) + "]";
    }
}
