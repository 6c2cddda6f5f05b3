package org.xaiworkbench.explain.cam;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The projection of a layer's pixels on their first principal component, as Eigen-CAM defines it: the
 * rows of X [pixels, channels] centred per channel, then X v for the top right singular vector v of X.
 * A singular vector's sign is arbitrary (pytorch-grad-cam keeps whichever LAPACK returns), so the
 * projection is oriented to make its largest magnitude positive, Seg-Eigen-CAM's correction.
 */
final class FirstComponent {
    private FirstComponent() {
    }

    /** @param values [maps, channels, pixels] in c order; returns [maps, pixels] */
    static double[] projections(double[] values, int maps, int channels, int pixels) {
        double[] out = new double[maps * pixels];
        for (int m = 0; m < maps; m++) {
            double[] projection = projection(centred(values, m, channels, pixels), channels, pixels);
            System.arraycopy(projection, 0, out, m * pixels, pixels);
        }
        return out;
    }

    /** One map's [channels][pixels], each channel less its mean over the pixels. */
    private static double[][] centred(double[] values, int map, int channels, int pixels) {
        double[][] x = new double[channels][pixels];
        for (int c = 0; c < channels; c++) {
            int from = (map * channels + c) * pixels;
            double mean = 0;
            for (int p = 0; p < pixels; p++) {
                mean += values[from + p];
            }
            mean /= pixels;
            for (int p = 0; p < pixels; p++) {
                x[c][p] = values[from + p] - mean;
            }
        }
        return x;
    }

    /**
     * X v1 = s1 u1: from the top eigenvector of the smaller of the two Gram matrices, X X^T (pixels) or
     * X^T X (channels), so a 512-channel layer of 4 pixels decomposes a 4 x 4 matrix.
     */
    private static double[] projection(double[][] x, int channels, int pixels) {
        double[] projection = new double[pixels];
        if (pixels <= channels) {
            double[][] gram = new double[pixels][pixels];
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < pixels; p++) {
                    for (int q = 0; q <= p; q++) {
                        gram[p][q] += x[c][p] * x[c][q];
                    }
                }
            }
            symmetrize(gram);
            EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(gram, false));
            int top = largest(eigen.getRealEigenvalues());
            double scale = Math.sqrt(Math.max(eigen.getRealEigenvalue(top), 0));
            double[] u = eigen.getEigenvector(top).toArray();
            for (int p = 0; p < pixels; p++) {
                projection[p] = scale * u[p];
            }
        } else {
            double[][] gram = new double[channels][channels];
            for (int c = 0; c < channels; c++) {
                for (int d = 0; d <= c; d++) {
                    double sum = 0;
                    for (int p = 0; p < pixels; p++) {
                        sum += x[c][p] * x[d][p];
                    }
                    gram[c][d] = sum;
                }
            }
            symmetrize(gram);
            EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(gram, false));
            double[] v = eigen.getEigenvector(largest(eigen.getRealEigenvalues())).toArray();
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < pixels; p++) {
                    projection[p] += x[c][p] * v[c];
                }
            }
        }
        return oriented(projection);
    }

    private static void symmetrize(double[][] lower) {
        for (int i = 0; i < lower.length; i++) {
            for (int j = 0; j < i; j++) {
                lower[j][i] = lower[i][j];
            }
        }
    }

    private static int largest(double[] eigenvalues) {
        int top = 0;
        for (int i = 1; i < eigenvalues.length; i++) {
            if (eigenvalues[i] > eigenvalues[top]) {
                top = i;
            }
        }
        return top;
    }

    private static double[] oriented(double[] projection) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double v : projection) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        if (Math.abs(min) > Math.abs(max)) {
            for (int p = 0; p < projection.length; p++) {
                projection[p] = -projection[p];
            }
        }
        return projection;
    }
}
