package org.xaiworkbench.evaluate;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;

import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

/** Small operations on attribution maps shared by the metrics. */
public final class Maps {
    private static final int SIGNIFICANT_BITS = 16;

    private Maps() {
    }

    public static void check(String method, double[] map, Sample sample) {
        int plane = sample.pixelCount();
        if (map == null || (map.length != plane && map.length != plane * sample.channels())) {
            throw new IllegalArgumentException(method + ": map of image " + sample.index() + " has "
                    + (map == null ? "no" : String.valueOf(map.length)) + " values, expected " + plane + " or " + plane * sample.channels());
        }
        for (double v : map) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(method + ": map of image " + sample.index() + " contains NaN or infinite values");
            }
        }
    }

    /** Images [C*H*W] shaped like {@code like}, stacked into one [N,C,H,W] array of the given precision. */
    public static INDArray batch(List<double[]> images, Sample like, DataType dataType) {
        int size = like.pixels().length;
        double[] flat = new double[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, flat, i * size, size);
        }
        return HostValues.array(flat, new long[]{images.size(), like.channels(), like.height(), like.width()}, dataType);
    }

    /** The map summed over channels, [H*W]. */
    public static double[] pixelMap(double[] map, Sample sample) {
        int plane = sample.pixelCount();
        if (map.length == plane) {
            return map;
        }
        double[] out = new double[plane];
        for (int c = 0; c < map.length / plane; c++) {
            for (int p = 0; p < plane; p++) {
                out[p] += map[c * plane + p];
            }
        }
        return out;
    }

    /**
     * Pixel indices from the highest attribution to the lowest, compared by {@link #rankingKeys}; equal keys
     * keep index order, so the order is deterministic.
     */
    public static int[] descendingOrder(double[] pixelMap) {
        double[] keys = rankingKeys(pixelMap);
        Integer[] order = new Integer[keys.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> {
            int byValue = Double.compare(keys[b], keys[a]);
            return byValue != 0 ? byValue : Integer.compare(a, b);
        });
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The map's values rounded to 16 significant bits, which is what pixels are ordered and ranked by. A map's
     * last bits move with the batch it was computed in (a matrix product sums in a batch-dependent order), and
     * pixels equal in exact arithmetic, as an upsampled map's often are, would otherwise change places with the
     * batch size. Rounding each value on its own scale keeps the order of a heavy tail's small values.
     */
    static double[] rankingKeys(double[] map) {
        return Arrays.stream(map).map(Maps::significant).toArray();
    }

    /** Each pixel's rank by {@link #rankingKeys}, ties at their average rank, for Spearman's correlation. */
    public static double[] ranks(double[] map) {
        return Similarity.ranks(rankingKeys(map));
    }

    private static double significant(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value;
        }
        int exponent = Math.getExponent(value);
        return Math.scalb(Math.rint(Math.scalb(value, SIGNIFICANT_BITS - exponent)), exponent - SIGNIFICANT_BITS);
    }

    public static double[] abs(double[] values) {
        return Arrays.stream(values).map(Math::abs).toArray();
    }

    /** A copy of {@code image} with the given pixels (all channels) taken from {@code source}. */
    public static double[] replacePixels(double[] image, double[] source, int[] pixels, int from, int to, int plane) {
        double[] out = image.clone();
        int channels = image.length / plane;
        for (int k = from; k < to; k++) {
            int p = pixels[k];
            for (int c = 0; c < channels; c++) {
                out[c * plane + p] = source[c * plane + p];
            }
        }
        return out;
    }

    /** Per method, {@code op} of the two metrics' values of each image. */
    public static Map<String, double[]> combine(Map<String, double[]> first, Map<String, double[]> second, DoubleBinaryOperator op) {
        Map<String, double[]> out = new LinkedHashMap<>();
        first.forEach((id, a) -> {
            double[] b = second.get(id);
            double[] values = new double[a.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = op.applyAsDouble(a[i], b[i]);
            }
            out.put(id, values);
        });
        return out;
    }
}
