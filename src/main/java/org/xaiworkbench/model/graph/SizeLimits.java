package org.xaiworkbench.model.graph;

import java.util.Arrays;
import java.util.Locale;

/**
 * How large a model read from a file may make things, checked before anything of that size is
 * allocated: a file can declare any shape, and ND4J's native allocator answers an absurd one with a
 * crash rather than an exception. Both limits are far above what image classifiers use (ResNet-50's
 * largest activation holds 800,000 values per image, a 7x7 window 49) and can be raised with the
 * system properties named in their messages.
 */
public final class SizeLimits {
    public static final String VALUES_PROPERTY = "xaiworkbench.maxTensorValues";
    public static final String SIDE_PROPERTY = "xaiworkbench.maxSide";
    /** Values of one tensor for one image: an input, a layer's output, a convolution kernel as run. */
    public static final long MAX_VALUES = Long.getLong(VALUES_PROPERTY, 1L << 26);
    /** One side of anything: an image's height or width, a kernel, a stride, a dilation, a padding. */
    public static final long MAX_SIDE = Long.getLong(SIDE_PROPERTY, 1L << 16);

    private SizeLimits() {
    }

    /** The number of values of a shape, Long.MAX_VALUE where it overflows or a side is not positive. */
    public static long values(long[] shape) {
        long count = 1;
        for (long side : shape) {
            if (side < 1) {
                return Long.MAX_VALUE;
            }
            count = count > Long.MAX_VALUE / side ? Long.MAX_VALUE : count * side;
        }
        return count;
    }

    /**
     * Throws a one-line IllegalArgumentException, starting with {@code what}, where the shape has a
     * side below 1 or above {@link #MAX_SIDE} for its last two axes, or more than {@link #MAX_VALUES} values.
     */
    public static void checkShape(String what, long[] shape) {
        for (long side : shape) {
            if (side < 1) {
                throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape) + ", with a side below 1");
            }
        }
        long values = values(shape);
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape) + ": "
                    + (values == Long.MAX_VALUE ? "more than 2^63" : format(values)) + " values, more than the limit of "
                    + format(MAX_VALUES) + " (-D" + VALUES_PROPERTY + "=N raises it)");
        }
    }

    /** Throws a one-line IllegalArgumentException, starting with {@code what}, for a side outside [minimum, MAX_SIDE]. */
    public static void checkSide(String what, long value, long minimum) {
        if (value < minimum || value > MAX_SIDE) {
            throw new IllegalArgumentException(what + " " + value + " is outside " + minimum + ".." + format(MAX_SIDE)
                    + (value > MAX_SIDE ? " (-D" + SIDE_PROPERTY + "=N raises the limit)" : ""));
        }
    }

    private static String format(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
