package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;

/**
 * Bilinear resizing of maps with pixel centres aligned (OpenCV's INTER_LINEAR, PyTorch's
 * align_corners=False): output pixel x samples the input at (x + 0.5) * h_in / h_out - 0.5, clamped to the
 * edge, so a constant map stays constant and a map already at the target size is returned unchanged.
 */
final class Upsampling {
    private Upsampling() {
    }

    /**
     * @param planes n maps of h x w, c order
     * @return [n,1,height,width] of the given type
     */
    static INDArray bilinear(double[] planes, int n, int h, int w, int height, int width, DataType type) {
        return HostValues.array(bilinear(planes, n, h, w, height, width, false), new long[]{n, 1, height, width}, type);
    }

    /** As {@link #bilinear(double[], int, int, int, int, int, DataType)}, as [n, height * width] values in c order. */
    static double[] bilinearValues(double[] planes, int n, int h, int w, int height, int width) {
        return bilinear(planes, n, h, w, height, width, false);
    }

    /**
     * Bilinear resizing with the corner pixels aligned (PyTorch's UpsamplingBilinear2d, align_corners=True):
     * output pixel x samples the input at x * (h_in - 1) / (h_out - 1); [n, height * width] in c order.
     */
    static double[] bilinearAlignedCorners(double[] planes, int n, int h, int w, int height, int width) {
        return bilinear(planes, n, h, w, height, width, true);
    }

    private static double[] bilinear(double[] planes, int n, int h, int w, int height, int width, boolean alignCorners) {
        double[] out = new double[n * height * width];
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        double[] fy = new double[height];
        sourceCoordinates(h, height, alignCorners, y0, y1, fy);
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        double[] fx = new double[width];
        sourceCoordinates(w, width, alignCorners, x0, x1, fx);
        for (int plane = 0; plane < n; plane++) {
            int src = plane * h * w;
            int dst = plane * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double top = planes[src + y0[y] * w + x0[x]] * (1 - fx[x]) + planes[src + y0[y] * w + x1[x]] * fx[x];
                    double bottom = planes[src + y1[y] * w + x0[x]] * (1 - fx[x]) + planes[src + y1[y] * w + x1[x]] * fx[x];
                    out[dst + y * width + x] = top * (1 - fy[y]) + bottom * fy[y];
                }
            }
        }
        return out;
    }

    /**
     * Nearest-neighbour resizing as PyTorch's {@code interpolate(mode="nearest")}: output pixel x copies
     * input pixel floor(x * h_in / h_out).
     *
     * @param planes n maps of h x w, c order
     * @return [n,1,height,width] of the given type
     */
    static INDArray nearest(double[] planes, int n, int h, int w, int height, int width, DataType type) {
        double[] out = new double[n * height * width];
        for (int plane = 0; plane < n; plane++) {
            for (int y = 0; y < height; y++) {
                int sy = Math.min((int) Math.floor(y * ((double) h / height)), h - 1);
                for (int x = 0; x < width; x++) {
                    int sx = Math.min((int) Math.floor(x * ((double) w / width)), w - 1);
                    out[(plane * height + y) * width + x] = planes[(plane * h + sy) * w + sx];
                }
            }
        }
        return HostValues.array(out, new long[]{n, 1, height, width}, type);
    }

    private static void sourceCoordinates(int inSize, int outSize, boolean alignCorners, int[] lower, int[] upper, double[] fraction) {
        double scale = alignCorners ? (outSize > 1 ? (inSize - 1.0) / (outSize - 1) : 0) : (double) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            double s = alignCorners ? i * scale : Math.max((i + 0.5) * scale - 0.5, 0);
            int l = Math.min((int) Math.floor(s), inSize - 1);
            lower[i] = l;
            upper[i] = Math.min(l + 1, inSize - 1);
            fraction[i] = s - l;
        }
    }
}
