package org.xaiworkbench.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Per-channel mean and standard deviation in pixel units [0,1], computed on the training split. */
public record Normalization(double[] mean, double[] std) {
    public Normalization {
        if (mean.length != LabeledImages.CHANNELS || std.length != LabeledImages.CHANNELS) {
            throw new IllegalArgumentException("mean and std need one value per channel (3)");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + s);
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

    /** (x - mean) / std per channel, in place, for an [N,3,H,W] pixel-space tensor. */
    public INDArray applyInPlace(INDArray pixels) {
        INDArray m = Nd4j.createFromArray(mean).castTo(pixels.dataType()).reshape(1, 3, 1, 1);
        INDArray s = Nd4j.createFromArray(std).castTo(pixels.dataType()).reshape(1, 3, 1, 1);
        return pixels.subi(m.broadcast(pixels.shape())).divi(s.broadcast(pixels.shape()));
    }
}
