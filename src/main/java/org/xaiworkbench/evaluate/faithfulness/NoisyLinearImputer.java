package org.xaiworkbench.evaluate.faithfulness;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * ROAD's noisy linear imputation (Rong et al. 2022): every removed pixel becomes the weighted mean of
 * its eight neighbours (1/6 for the four direct ones, 1/12 for the diagonals), removed neighbours
 * included, which is one sparse linear system per channel; Gaussian noise is then added to the
 * imputed values. Unlike filling with a constant, this leaves no trace of the removal's shape for the
 * model to read. The symmetric, diagonally dominant system is solved by conjugate gradients.
 */
final class NoisyLinearImputer {
    private static final int[][] OFFSETS = {{-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}};
    private static final double DIRECT = 1.0 / 6;
    private static final double DIAGONAL = 1.0 / 12;
    private static final double TOLERANCE = 1e-8;

    private NoisyLinearImputer() {
    }

    /**
     * A copy of {@code image} ([C,H,W] flattened) with the pixels flagged in {@code removed} ([H*W])
     * imputed, plus noise of standard deviation {@code noise} drawn from {@code random}.
     */
    static double[] impute(double[] image, int channels, int height, int width, boolean[] removed, double noise,
                           SplittableRandom random) {
        int plane = height * width;
        int[] variable = new int[plane];
        int unknowns = 0;
        for (int p = 0; p < plane; p++) {
            variable[p] = removed[p] ? unknowns++ : -1;
        }
        double[] out = image.clone();
        if (unknowns == 0) {
            return out;
        }
        if (unknowns == plane) {
            throw new IllegalArgumentException("cannot impute an image with every pixel removed");
        }
        int[] pixelOf = new int[unknowns];
        double[] diagonal = new double[unknowns];
        int[][] neighbours = new int[unknowns][];
        double[][] weights = new double[unknowns][];
        for (int p = 0; p < plane; p++) {
            int v = variable[p];
            if (v < 0) {
                continue;
            }
            pixelOf[v] = p;
            int y = p / width;
            int x = p % width;
            int[] n = new int[OFFSETS.length];
            double[] w = new double[OFFSETS.length];
            int count = 0;
            for (int[] offset : OFFSETS) {
                int ny = y + offset[0];
                int nx = x + offset[1];
                if (ny < 0 || ny >= height || nx < 0 || nx >= width) {
                    continue;
                }
                double weight = offset[0] == 0 || offset[1] == 0 ? DIRECT : DIAGONAL;
                diagonal[v] += weight;
                n[count] = ny * width + nx;
                w[count++] = weight;
            }
            neighbours[v] = Arrays.copyOf(n, count);
            weights[v] = Arrays.copyOf(w, count);
        }
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            double[] b = new double[unknowns];
            for (int v = 0; v < unknowns; v++) {
                for (int k = 0; k < neighbours[v].length; k++) {
                    int q = neighbours[v][k];
                    if (variable[q] < 0) {
                        b[v] += weights[v][k] * image[base + q];
                    }
                }
            }
            double[] z = conjugateGradient(b, diagonal, neighbours, weights, variable);
            for (int v = 0; v < unknowns; v++) {
                out[base + pixelOf[v]] = z[v] + noise * random.nextGaussian();
            }
        }
        return out;
    }

    private static double[] conjugateGradient(double[] b, double[] diagonal, int[][] neighbours, double[][] weights,
                                              int[] variable) {
        int n = b.length;
        double[] z = new double[n];
        double[] r = b.clone();
        double[] d = r.clone();
        double[] ad = new double[n];
        double rr = dot(r, r);
        double stop = TOLERANCE * TOLERANCE * Math.max(rr, 1e-300);
        for (int iteration = 0; iteration < 10 * n && rr > stop; iteration++) {
            for (int v = 0; v < n; v++) {
                double sum = diagonal[v] * d[v];
                for (int k = 0; k < neighbours[v].length; k++) {
                    int u = variable[neighbours[v][k]];
                    if (u >= 0) {
                        sum -= weights[v][k] * d[u];
                    }
                }
                ad[v] = sum;
            }
            double alpha = rr / dot(d, ad);
            for (int v = 0; v < n; v++) {
                z[v] += alpha * d[v];
                r[v] -= alpha * ad[v];
            }
            double next = dot(r, r);
            double beta = next / rr;
            rr = next;
            for (int v = 0; v < n; v++) {
                d[v] = r[v] + beta * d[v];
            }
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
