package org.xaiworkbench.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pictures brought to a model's input: resized plane by plane (area averaging where an axis shrinks,
 * bilinear with aligned pixel centres where it grows, each axis on its own) and, for a one-channel
 * model, turned grey with ITU-R BT.601 luma weights, what PIL's convert("L") uses.
 */
public final class Resampling {
    private static final double[] LUMA = {0.299, 0.587, 0.114};

    private Resampling() {
    }

    /**
     * RGB pictures [N,3,H,W] in [0,1] as [N,channels,height,width]; unchanged when they already fit.
     *
     * @throws IllegalArgumentException for a model that takes neither 1 nor 3 channels
     */
    public static INDArray fit(INDArray rgb, int channels, int height, int width) {
        long[] s = rgb.shape();
        if (s.length != 4 || s[1] != 3) {
            throw new IllegalArgumentException("pictures must be [N,3,H,W], got " + java.util.Arrays.toString(s));
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("the model takes " + channels + "-channel inputs; pictures can be given to models of 1 "
                    + "(grey) or 3 (RGB) channels");
        }
        if (channels == 3 && s[2] == height && s[3] == width) {
            return rgb;
        }
        int n = (int) s[0];
        int inH = (int) s[2];
        int inW = (int) s[3];
        double[] rows = weights(inH, height);
        double[] cols = weights(inW, width);
        double[] in = rgb.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[n * channels * height * width];
        double[] plane = new double[inH * inW];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < plane.length; k++) {
                    int base = i * 3 * inH * inW + k;
                    plane[k] = channels == 3 ? in[base + c * inH * inW]
                            : LUMA[0] * in[base] + LUMA[1] * in[base + inH * inW] + LUMA[2] * in[base + 2 * inH * inW];
                }
                double[] resized = resize(plane, inH, inW, rows, cols, height, width);
                for (int k = 0; k < resized.length; k++) {
                    out[(i * channels + c) * height * width + k] = Math.max(0, Math.min(1, resized[k]));
                }
            }
        }
        return Nd4j.createFromArray(out).castTo(rgb.dataType()).reshape(n, channels, height, width);
    }

    /** One plane [inH,inW] as [outH,outW], row-major. */
    static double[] resize(double[] plane, int inH, int inW, int outH, int outW) {
        return resize(plane, inH, inW, weights(inH, outH), weights(inW, outW), outH, outW);
    }

    private static double[] resize(double[] plane, int inH, int inW, double[] rows, double[] cols, int outH, int outW) {
        double[] out = new double[outH * outW];
        double[] tall = new double[outH * inW];
        for (int oy = 0; oy < outH; oy++) {
            for (int y = 0; y < inH; y++) {
                double w = rows[oy * inH + y];
                if (w != 0) {
                    for (int x = 0; x < inW; x++) {
                        tall[oy * inW + x] += w * plane[y * inW + x];
                    }
                }
            }
        }
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                double sum = 0;
                for (int x = 0; x < inW; x++) {
                    sum += cols[ox * inW + x] * tall[oy * inW + x];
                }
                out[oy * outW + ox] = sum;
            }
        }
        return out;
    }

    /**
     * [outSize,inSize] weights of one axis, each row summing to 1: the overlap of each input pixel with
     * the output pixel's span when shrinking, bilinear interpolation between pixel centres when growing.
     */
    static double[] weights(int inSize, int outSize) {
        double[] w = new double[outSize * inSize];
        double scale = (double) inSize / outSize;
        for (int o = 0; o < outSize; o++) {
            if (inSize >= outSize) {
                double from = o * scale;
                double to = (o + 1) * scale;
                for (int k = (int) Math.floor(from); k < Math.min(inSize, (int) Math.ceil(to)); k++) {
                    w[o * inSize + k] = (Math.min(to, k + 1) - Math.max(from, k)) / scale;
                }
            } else {
                double source = Math.max((o + 0.5) * scale - 0.5, 0);
                int k0 = Math.min((int) source, inSize - 1);
                int k1 = Math.min(k0 + 1, inSize - 1);
                double f = source - k0;
                w[o * inSize + k0] += 1 - f;
                w[o * inSize + k1] += f;
            }
        }
        return w;
    }
}
