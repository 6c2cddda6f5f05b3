package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/** Adds independent N(0, sigma²) noise to every pixel value, then clamps to [0,1]. */
public final class GaussianNoise implements Corruption {
    @Override
    public String id() {
        return "noise";
    }

    @Override
    public String strengthName() {
        return "sigma";
    }

    @Override
    public INDArray apply(INDArray x, double sigma, long seed) {
        if (!(sigma >= 0 && sigma <= 1)) {
            throw new IllegalArgumentException("sigma must be in [0,1] (pixel units), got " + sigma);
        }
        float[] pixels = PixelArrays.copyOf(x);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = PixelArrays.clamp01(pixels[i] + sigma * random.nextGaussian());
        }
        return PixelArrays.like(x, pixels);
    }
}
