package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Shifts every pixel value of an image by +delta or −delta (brighter or darker, a seeded coin per
 * image), then clamps to [0,1]. Unlike Albumentations' uniform draw in [−delta, delta], every image
 * is shifted by exactly the strength, so the accuracy curve reads against the shift itself.
 */
public final class Brightness implements Corruption {
    @Override
    public String id() {
        return "brightness";
    }

    @Override
    public String strengthName() {
        return "delta";
    }

    @Override
    public INDArray apply(INDArray x, double delta, long seed) {
        PixelArrays.checkUnitInterval("delta", delta);
        float[] pixels = PixelArrays.copyOf(x);
        int n = (int) x.size(0);
        int perImage = pixels.length / n;
        SplittableRandom random = new SplittableRandom(seed);
        for (int image = 0; image < n; image++) {
            double shift = random.nextBoolean() ? delta : -delta;
            for (int i = image * perImage; i < (image + 1) * perImage; i++) {
                pixels[i] = PixelArrays.clamp01(pixels[i] + shift);
            }
        }
        return PixelArrays.like(x, pixels);
    }
}
