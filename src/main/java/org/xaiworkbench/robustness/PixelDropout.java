package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Sets each pixel (all channels of one position) to black with probability {@code rate}, like
 * Albumentations' PixelDropout with its defaults. One uniform draw per pixel compared with the rate,
 * so with one seed the pixels dropped at a lower rate are also dropped at every higher rate.
 */
public final class PixelDropout implements Corruption {
    @Override
    public String id() {
        return "pd";
    }

    @Override
    public String strengthName() {
        return "rate";
    }

    @Override
    public INDArray apply(INDArray x, double rate, long seed) {
        PixelArrays.checkUnitInterval("rate", rate);
        float[] pixels = PixelArrays.copyOf(x);
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        SplittableRandom random = new SplittableRandom(seed);
        for (int image = 0; image < n; image++) {
            for (int p = 0; p < plane; p++) {
                if (random.nextDouble() < rate) {
                    for (int c = 0; c < channels; c++) {
                        pixels[(image * channels + c) * plane + p] = 0f;
                    }
                }
            }
        }
        return PixelArrays.like(x, pixels);
    }
}
