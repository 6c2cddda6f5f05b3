package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.Sample;
/**
 * RISE's blurred insertion substrate (eclique/RISE, Evaluation.ipynb): {@code gkern(11, 5)}, SciPy's
 * {@code gaussian_filter} of an 11x11 impulse with sigma 5 (reflected at its edges, so the kernel is
 * nearly flat), applied per channel to the normalized image with zero padding. In pixel space that is
 * the blur of (x - mean) plus the mean: the border fades to the mean colour, not to black.
 */
final class RiseBlur {
    static final int SIZE = 11;
    static final double SIGMA = 5;
    /** SciPy's gaussian_filter truncates its Gaussian at 4 sigma. */
    private static final double TRUNCATE = 4.0;
    private static final double[] KERNEL = kernel1d();

    private RiseBlur() {
    }

    /** The kernel's weight at row {@code r}, column {@code c}: separable, the outer product of one 1-D kernel. */
    static double weight(int r, int c) {
        return KERNEL[r] * KERNEL[c];
    }

    static double[] of(Sample sample, double[] meanColour) {
        int height = sample.height();
        int width = sample.width();
        int plane = height * width;
        int half = SIZE / 2;
        double[] in = sample.pixels();
        double[] out = new double[in.length];
        for (int ch = 0; ch < sample.channels(); ch++) {
            double mean = meanColour[ch];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int r = 0; r < SIZE; r++) {
                        int yy = y + r - half;
                        if (yy < 0 || yy >= height) {
                            continue;
                        }
                        for (int c = 0; c < SIZE; c++) {
                            int xx = x + c - half;
                            if (xx >= 0 && xx < width) {
                                sum += weight(r, c) * (in[ch * plane + yy * width + xx] - mean);
                            }
                        }
                    }
                    out[ch * plane + y * width + x] = mean + sum;
                }
            }
        }
        return out;
    }

    /** gaussian_filter1d of an impulse at the centre of SIZE values, mode 'reflect' (d c b a | a b c d). */
    private static double[] kernel1d() {
        int radius = (int) (TRUNCATE * SIGMA + 0.5);
        double[] gauss = new double[2 * radius + 1];
        double total = 0;
        for (int j = -radius; j <= radius; j++) {
            gauss[j + radius] = Math.exp(-0.5 * j * j / (SIGMA * SIGMA));
            total += gauss[j + radius];
        }
        double[] kernel = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            for (int j = -radius; j <= radius; j++) {
                if (reflect(i + j) == SIZE / 2) {
                    kernel[i] += gauss[j + radius] / total;
                }
            }
        }
        return kernel;
    }

    private static int reflect(int n) {
        int period = 2 * SIZE;
        int m = Math.floorMod(n, period);
        return m < SIZE ? m : period - 1 - m;
    }
}
