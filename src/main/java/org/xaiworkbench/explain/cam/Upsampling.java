package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear resizing of [N,C,h,w] maps with pixel centres aligned (OpenCV's INTER_LINEAR, PyTorch's
 * align_corners=False): output pixel x samples the input at (x + 0.5) * h_in / h_out - 0.5, clamped to the
 * edge, so a constant map stays constant and a map already at the target size is returned unchanged.
 */
final class Upsampling {
    private Upsampling() {
    }

    static INDArray bilinear(INDArray maps, int height, int width) {
        int n = (int) maps.size(0);
        int c = (int) maps.size(1);
        int h = (int) maps.size(2);
        int w = (int) maps.size(3);
        double[] in = maps.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[n * c * height * width];
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        double[] fy = new double[height];
        sourceCoordinates(h, height, y0, y1, fy);
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        double[] fx = new double[width];
        sourceCoordinates(w, width, x0, x1, fx);
        for (int plane = 0; plane < n * c; plane++) {
            int src = plane * h * w;
            int dst = plane * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double top = in[src + y0[y] * w + x0[x]] * (1 - fx[x]) + in[src + y0[y] * w + x1[x]] * fx[x];
                    double bottom = in[src + y1[y] * w + x0[x]] * (1 - fx[x]) + in[src + y1[y] * w + x1[x]] * fx[x];
                    out[dst + y * width + x] = top * (1 - fy[y]) + bottom * fy[y];
                }
            }
        }
        return Nd4j.create(out, new long[]{n, c, height, width}, DataType.DOUBLE);
    }

    private static void sourceCoordinates(int inSize, int outSize, int[] lower, int[] upper, double[] fraction) {
        double scale = (double) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            double s = Math.max((i + 0.5) * scale - 0.5, 0);
            int l = Math.min((int) Math.floor(s), inSize - 1);
            lower[i] = l;
            upper[i] = Math.min(l + 1, inSize - 1);
            fraction[i] = s - l;
        }
    }
}
