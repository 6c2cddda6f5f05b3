package org.xaiworkbench.evaluate.faithfulness;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ROAD's imputation on images with a closed-form answer. */
class NoisyLinearImputerTest {
    @Test
    void imputationReproducesConstantAndLinearImagesInsideAndKeepsKnownPixels() {
        int h = 12;
        int w = 12;
        double[] image = new double[2 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image[y * w + x] = 0.4;
                image[h * w + y * w + x] = 0.02 * x + 0.03 * y + 0.1;
            }
        }
        boolean[] removed = new boolean[h * w];
        for (int y = 3; y < 8; y++) {
            for (int x = 2; x < 9; x++) {
                removed[y * w + x] = true;
            }
        }
        double[] exact = NoisyLinearImputer.impute(withHole(image, removed, h * w), 2, h, w, removed, 0, new SplittableRandom(1));
        assertArrayEquals(image, exact, 1e-7, "a harmonic (constant or linear) image is its own neighbour mean");
        double[] noisy = NoisyLinearImputer.impute(image, 2, h, w, removed, 0.05, new SplittableRandom(1));
        double squares = 0;
        int count = 0;
        for (int p = 0; p < h * w; p++) {
            for (int c = 0; c < 2; c++) {
                double d = noisy[c * h * w + p] - image[c * h * w + p];
                if (!removed[p]) {
                    assertEquals(0, d, 0, "known pixels are kept");
                } else {
                    squares += d * d;
                    count++;
                }
            }
        }
        assertEquals(0.05, Math.sqrt(squares / count), 0.01, "the noise has the given standard deviation");
    }

    private static double[] withHole(double[] image, boolean[] removed, int plane) {
        double[] out = image.clone();
        for (int p = 0; p < plane; p++) {
            if (removed[p]) {
                out[p] = 9;
                out[plane + p] = -9;
            }
        }
        return out;
    }
}
