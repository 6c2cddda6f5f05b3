package org.xaiworkbench.explain.gradient;

/** Separable Gaussian blur of each channel, radius ceil(3 sigma), borders reflected (as scipy's default). */
final class GaussianBlur {
    private GaussianBlur() {
    }

    static double[] blur(double[] image, int channels, int height, int width, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
            total += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= total;
        }
        double[] rowsBlurred = new double[image.length];
        double[] out = new double[image.length];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        sum += kernel[k + radius] * image[base + y * width + reflect(x + k, width)];
                    }
                    rowsBlurred[base + y * width + x] = sum;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        sum += kernel[k + radius] * rowsBlurred[base + reflect(y + k, height) * width + x];
                    }
                    out[base + y * width + x] = sum;
                }
            }
        }
        return out;
    }

    /** scipy's 'reflect' mode (d c b a | a b c d | d c b a), repeated for radii beyond the image. */
    private static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }
}
