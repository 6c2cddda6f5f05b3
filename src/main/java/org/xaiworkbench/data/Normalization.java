package org.xaiworkbench.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-channel mean and standard deviation in pixel units [0,1] (CIFAR-10's computed on the training
 * split); one value each for a grey model. Whether the count fits a model is checked where the two meet.
 */
public record Normalization(double[] mean, double[] std) implements java.io.Serializable {
    /** Below this a std would blow pixel differences up past any meaningful gradient. */
    public static final double MIN_STD = 1e-6;

    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need one value per channel each, got " + mean.length + " and " + std.length);
        }
        for (double m : mean) {
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("mean must be finite, got " + m);
            }
        }
        for (double s : std) {
            if (!(s >= MIN_STD) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("std must be finite and at least " + MIN_STD + ", got " + s);
            }
        }
    }

    public static Normalization of(LabeledImages images) {
        int plane = LabeledImages.SIZE * LabeledImages.SIZE;
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        byte[] px = images.pixels();
        for (int i = 0; i < px.length; i++) {
            int c = (i / plane) % 3;
            double v = (px[i] & 0xFF) / 255.0;
            sum[c] += v;
            sumSq[c] += v * v;
        }
        double count = (double) images.size() * plane;
        double[] mean = new double[3];
        double[] std = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = sum[c] / count;
            std[c] = Math.sqrt(Math.max(sumSq[c] / count - mean[c] * mean[c], 0));
        }
        return new Normalization(mean, std);
    }

    /** (x - mean) / std per channel, in place, for an [N,C,H,W] pixel-space tensor. */
    public INDArray applyInPlace(INDArray pixels) {
        INDArray m = Nd4j.createFromArray(mean).castTo(pixels.dataType()).reshape(1, mean.length, 1, 1);
        INDArray s = Nd4j.createFromArray(std).castTo(pixels.dataType()).reshape(1, std.length, 1, 1);
        return pixels.subi(m.broadcast(pixels.shape())).divi(s.broadcast(pixels.shape()));
    }
}
