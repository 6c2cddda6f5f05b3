package org.xaiworkbench.explain;

/**
 * Separable Gaussian blur of each channel of a [C,H,W] image (flattened in c order): rows first, then
 * columns, each with the kernel exp(-t^2 / (2 sigma^2)) for t in -radius..radius, normalised to sum 1.
 * The border rule and the radius are explicit because the two users of a blurred image differ in both
 * (see {@link #reflected} and {@link #renormalized}); either rule keeps a constant image constant.
 */
public record GaussianBlur(double sigma, int radius, Border border) {
    /** What the kernel reads beyond the image's edge. */
    public enum Border {
        /** The image mirrored at its edge, d c b a | a b c d | d c b a, repeated for radii beyond the image (scipy's 'reflect'). */
        REFLECT,
        /** Nothing: only the taps inside the image are summed, divided by their own share of the kernel. */
        RENORMALIZE,
        /** Zeros beyond the edge (scipy's 'constant' with cval 0): the edge darkens towards 0. */
        ZERO
    }

    public GaussianBlur {
        OptionChecks.positiveFinite("blur sigma", sigma);
        OptionChecks.atLeast("blur radius", radius, 0);
        if (border == null) {
            throw new IllegalArgumentException("blur border must be one of REFLECT, RENORMALIZE, ZERO, got null");
        }
    }

    /**
     * Radius ceil(3 sigma), mirrored borders: the blurred baseline of Integrated Gradients and the other
     * path methods, and the evaluation's blurred substrate (the README documents its reflected borders).
     * The border is scipy.ndimage.gaussian_filter's default mode; scipy's default radius, 4 sigma, is longer.
     */
    public static GaussianBlur reflected(double sigma) {
        return new GaussianBlur(sigma, (int) Math.ceil(3 * sigma), Border.REFLECT);
    }

    /**
     * Radius ceil((5 sigma - 1) / 2), renormalised borders: BoofCV's {@code BlurImageOps.gaussian}
     * defaults, with which occlusion has always filled its blurred windows; kept so that occlusion maps
     * stay what earlier runs recorded.
     */
    public static GaussianBlur renormalized(double sigma) {
        return new GaussianBlur(sigma, (int) Math.ceil((5 * sigma - 1) / 2), Border.RENORMALIZE);
    }

    public double[] apply(double[] image, int channels, int height, int width) {
        if (image.length != channels * height * width) {
            throw new IllegalArgumentException("image has " + image.length + " values, expected " + channels + "x" + height
                    + "x" + width);
        }
        double[] kernel = kernel();
        double[] rowsBlurred = new double[image.length];
        double[] out = new double[image.length];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int y = 0; y < height; y++) {
                convolveLine(kernel, image, rowsBlurred, base + y * width, 1, width);
            }
            for (int x = 0; x < width; x++) {
                convolveLine(kernel, rowsBlurred, out, base + x, width, height);
            }
        }
        return out;
    }

    private double[] kernel() {
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int t = -radius; t <= radius; t++) {
            kernel[t + radius] = Math.exp(-0.5 * t * t / (sigma * sigma));
            total += kernel[t + radius];
        }
        for (int t = 0; t < kernel.length; t++) {
            kernel[t] /= total;
        }
        return kernel;
    }

    /** One row or column: {@code length} samples from {@code offset}, {@code step} apart. */
    private void convolveLine(double[] kernel, double[] in, double[] out, int offset, int step, int length) {
        for (int i = 0; i < length; i++) {
            double sum = 0;
            double weight = 0;
            for (int t = -radius; t <= radius; t++) {
                int j = i + t;
                if (border == Border.REFLECT) {
                    j = reflect(j, length);
                } else if (j < 0 || j >= length) {
                    continue;
                }
                sum += kernel[t + radius] * in[offset + j * step];
                weight += kernel[t + radius];
            }
            out[offset + i * step] = border == Border.RENORMALIZE ? sum / weight : sum;
        }
    }

    private static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }
}
