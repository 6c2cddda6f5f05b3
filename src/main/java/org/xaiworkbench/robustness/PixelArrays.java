package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.Inputs;

/**
 * Corruptions draw their randomness in Java, pixel by pixel in C order, so a seed means the same
 * image on every backend and thread count.
 */
final class PixelArrays {
    private PixelArrays() {
    }

    /** A copy of the batch's pixels in C order, after checking it is a finite [N,C,H,W] batch. */
    static float[] copyOf(INDArray x) {
        Inputs.check(x);
        return x.dup('c').data().asFloat();
    }

    static INDArray like(INDArray x, float[] pixels) {
        return Nd4j.create(pixels, x.shape(), 'c').castTo(x.dataType());
    }

    static float clamp01(double v) {
        return (float) Math.min(1.0, Math.max(0.0, v));
    }

    static void checkUnitInterval(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0,1], got " + value);
        }
    }
}
