package org.xaiworkbench.explain.region;

import org.xaiworkbench.explain.GaussianBlur;

/**
 * An image resized as scikit-image's {@code resize(order=3, mode='constant', anti_aliasing=True)} does it,
 * which PAIR's XRAI uses before segmenting: a Gaussian pre-blur of sigma (factor - 1) / 2 where the image
 * shrinks, then SciPy's {@code ndimage.zoom(order=3, mode='grid-constant', grid_mode=True)}, a cubic
 * B-spline through the image padded with 12 zeros per side (the spline's coefficients by SciPy's recursive
 * filter with mirrored ends), sampled at the centres of the output's pixels; values clipped to the
 * input's range. Each axis is resized on its own, which for a tensor-product spline is the same.
 */
final class SplineZoom {
    /** SciPy pads this many zeros per side before the spline filter in 'grid-constant' mode. */
    private static final int PAD = 12;
    private static final double POLE = Math.sqrt(3) - 2;

    private SplineZoom() {
    }

    /** A [C,H,W] image (c order) resized to [C,outH,outW]. */
    static double[] resize(double[] image, int channels, int height, int width, int outH, int outW) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : image) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] in = antiAliased(image, channels, height, width, outH, outW);
        double[] rows = new double[channels * outH * width];
        double[] line = new double[Math.max(height, width)];
        for (int c = 0; c < channels; c++) {
            for (int x = 0; x < width; x++) {
                for (int y = 0; y < height; y++) {
                    line[y] = in[(c * height + y) * width + x];
                }
                double[] zoomed = zoom(line, height, outH);
                for (int y = 0; y < outH; y++) {
                    rows[(c * outH + y) * width + x] = zoomed[y];
                }
            }
        }
        double[] out = new double[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                System.arraycopy(rows, (c * outH + y) * width, line, 0, width);
                double[] zoomed = zoom(line, width, outW);
                for (int x = 0; x < outW; x++) {
                    out[(c * outH + y) * outW + x] = Math.min(max, Math.max(min, zoomed[x]));
                }
            }
        }
        return out;
    }

    /** scikit-image blurs before shrinking an axis, with sigma (in / out - 1) / 2 and zeros beyond the edge; growing, it does not. */
    private static double[] antiAliased(double[] image, int channels, int height, int width, int outH, int outW) {
        double sigmaY = Math.max(0, ((double) height / outH - 1) / 2);
        double sigmaX = Math.max(0, ((double) width / outW - 1) / 2);
        if (sigmaY == 0 && sigmaX == 0) {
            return image;
        }
        if (sigmaY != sigmaX) {
            throw new IllegalArgumentException("XRAI's segmentation resize shrinks the two axes by different factors ("
                    + height + "x" + width + " to " + outH + "x" + outW + ")");
        }
        return new GaussianBlur(sigmaY, (int) (4 * sigmaY + 0.5), GaussianBlur.Border.ZERO).apply(image, channels, height, width);
    }

    /** One line of n values resized to m: the cubic B-spline's value at ((o + 0.5) n / m - 0.5) for each output o. */
    static double[] zoom(double[] values, int n, int m) {
        double[] coefficients = new double[n + 2 * PAD];
        System.arraycopy(values, 0, coefficients, PAD, n);
        splineFilter(coefficients);
        double[] out = new double[m];
        double ratio = (double) n / m;
        for (int o = 0; o < m; o++) {
            double at = (o + 0.5) * ratio - 0.5 + PAD;
            int floor = (int) Math.floor(at);
            double t = at - floor;
            double[] w = {(1 - t) * (1 - t) * (1 - t) / 6, (4 - 6 * t * t + 3 * t * t * t) / 6,
                    (1 + 3 * t + 3 * t * t - 3 * t * t * t) / 6, t * t * t / 6};
            double sum = 0;
            for (int k = 0; k < 4; k++) {
                sum += w[k] * coefficients[mirror(floor - 1 + k, coefficients.length)];
            }
            out[o] = sum;
        }
        return out;
    }

    /** In place, the cubic B-spline coefficients whose spline passes through the values, mirrored at both ends. */
    private static void splineFilter(double[] c) {
        int n = c.length;
        double gain = (1 - POLE) * (1 - 1 / POLE);
        for (int i = 0; i < n; i++) {
            c[i] *= gain;
        }
        double zn1 = Math.pow(POLE, n - 1);
        double zi = POLE;
        double first = c[0] + zn1 * c[n - 1];
        for (int i = 1; i < n - 1; i++) {
            first += zi * (c[i] + zn1 * c[n - 1 - i]);
            zi *= POLE;
        }
        c[0] = first / (1 - zn1 * zn1);
        for (int i = 1; i < n; i++) {
            c[i] += POLE * c[i - 1];
        }
        c[n - 1] = (POLE * c[n - 2] + c[n - 1]) * POLE / (POLE * POLE - 1);
        for (int i = n - 2; i >= 0; i--) {
            c[i] = POLE * (c[i + 1] - c[i]);
        }
    }

    private static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n - 2;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
