package org.xaiworkbench.evaluate;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;


/**
 * How alike two maps or two series are. A correlation with a constant side is undefined; it counts as
 * 0 (no linear or rank relation), so that dark maps neither win nor break the statistics.
 */
public final class Similarity {
    /** skimage.metrics.structural_similarity's defaults: a 7×7 uniform window, K1 0.01, K2 0.03. */
    private static final int WINDOW = 7;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;

    private Similarity() {
    }

    public static double pearson(double[] a, double[] b) {
        return constant(a) || constant(b) ? 0 : new PearsonsCorrelation().correlation(a, b);
    }

    /** Spearman's rank correlation, ties at their average rank: Pearson's correlation of the ranks. */
    public static double spearman(double[] a, double[] b) {
        return constant(a) || constant(b) ? 0 : pearson(ranks(a), ranks(b));
    }

    /**
     * Each value's rank from 1 in ascending order ({@link Double#compare}'s), tied values at their
     * average rank, as commons-math's NaturalRanking; NaN is refused. {@code spearman(a, b)} is
     * {@code pearson(ranks(a), ranks(b))}, so a caller comparing one map with many ranks it once.
     */
    public static double[] ranks(double[] values) {
        int n = values.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("cannot rank a map that holds NaN");
            }
            order[i] = i;
        }
        // a merge sort of primitive indices: NaturalRanking sorts boxed pairs, and model randomization ranks a map per image, method and layer
        int[] buffer = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int from = 0; from < n; from += 2 * width) {
                int middle = Math.min(from + width, n);
                int to = Math.min(from + 2 * width, n);
                int left = from;
                int right = middle;
                for (int k = from; k < to; k++) {
                    boolean takeLeft = right >= to || left < middle && Double.compare(values[order[left]], values[order[right]]) <= 0;
                    buffer[k] = takeLeft ? order[left++] : order[right++];
                }
            }
            int[] swap = order;
            order = buffer;
            buffer = swap;
        }
        double[] out = new double[n];
        for (int first = 0; first < n; ) {
            int end = first + 1;
            while (end < n && Double.compare(values[order[end]], values[order[first]]) == 0) {
                end++;
            }
            double rank = (first + end - 1) / 2.0 + 1;
            for (int k = first; k < end; k++) {
                out[order[k]] = rank;
            }
            first = end;
        }
        return out;
    }

    /**
     * SSIM of two [height*width] maps, each first scaled to [0,1] by its own minimum and maximum (a
     * constant map becomes zeros), data range 1, sample covariances, mean over the windows that fit.
     */
    public static double ssim(double[] a, double[] b, int height, int width) {
        double[] x = unitRange(a);
        double[] y = unitRange(b);
        int n = WINDOW * WINDOW;
        double total = 0;
        int windows = 0;
        for (int top = 0; top + WINDOW <= height; top++) {
            for (int left = 0; left + WINDOW <= width; left++) {
                double sx = 0;
                double sy = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int r = top; r < top + WINDOW; r++) {
                    for (int c = left; c < left + WINDOW; c++) {
                        double u = x[r * width + c];
                        double v = y[r * width + c];
                        sx += u;
                        sy += v;
                        sxx += u * u;
                        syy += v * v;
                        sxy += u * v;
                    }
                }
                double mx = sx / n;
                double my = sy / n;
                double vx = (sxx - n * mx * mx) / (n - 1);
                double vy = (syy - n * my * my) / (n - 1);
                double cxy = (sxy - n * mx * my) / (n - 1);
                total += (2 * mx * my + C1) * (2 * cxy + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
                windows++;
            }
        }
        if (windows == 0) {
            throw new IllegalArgumentException("SSIM needs maps of at least " + WINDOW + "x" + WINDOW + ", got " + height + "x" + width);
        }
        return total / windows;
    }

    public static double[] unitRange(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] out = new double[values.length];
        if (max > min) {
            for (int i = 0; i < values.length; i++) {
                out[i] = (values[i] - min) / (max - min);
            }
        }
        return out;
    }

    private static boolean constant(double[] values) {
        for (double v : values) {
            if (v != values[0]) {
                return false;
            }
        }
        return true;
    }
}
