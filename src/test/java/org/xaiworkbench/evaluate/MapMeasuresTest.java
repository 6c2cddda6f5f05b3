package org.xaiworkbench.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closed forms of the map descriptors, the similarities, the imputer and the controls. */
class MapMeasuresTest {
    @Test
    void complexityAndSparsenessOfUniformAndOnePixelMaps() {
        double[] uniform = new double[64];
        Arrays.fill(uniform, 0.3);
        double[] onePixel = new double[64];
        onePixel[10] = -2;
        assertEquals(1, Complexity.of(uniform), 1e-12);
        assertEquals(0, Complexity.of(Maps.abs(onePixel)), 1e-12);
        assertEquals(0, Sparseness.gini(uniform), 1e-12);
        assertEquals(63.0 / 64, Sparseness.gini(Maps.abs(onePixel)), 1e-12);
        double[] half = new double[64];
        Arrays.fill(half, 32, 64, 1);
        assertEquals(Math.log(32) / Math.log(64), Complexity.of(half), 1e-12);
        assertEquals(0.5, Sparseness.gini(half), 1e-12);
    }

    @Test
    void similaritiesOfIdenticalTransformedAndUnrelatedMaps() {
        double[] a = new SplittableRandom(1).doubles(256).toArray();
        double[] b = new SplittableRandom(2).doubles(256).toArray();
        double[] cubed = Arrays.stream(a).map(v -> v * v * v).toArray();
        assertEquals(1, Similarity.ssim(a, a, 16, 16), 1e-12);
        assertEquals(1, Similarity.ssim(a, Arrays.stream(a).map(v -> 3 * v + 1).toArray(), 16, 16), 1e-12, "scaled to [0,1] first");
        assertTrue(Math.abs(Similarity.ssim(a, b, 16, 16)) < 0.2);
        assertEquals(1, Similarity.spearman(a, cubed), 1e-12, "rank correlation ignores monotone transforms");
        assertEquals(-1, Similarity.spearman(a, Arrays.stream(a).map(v -> -v).toArray()), 1e-12);
        assertEquals(0, Similarity.pearson(a, new double[256]), 0, "a constant side has no correlation");
        assertThrows(IllegalArgumentException.class, () -> Similarity.ssim(new double[16], new double[16], 4, 4));
    }

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

    @Test
    void controlsKnowNothingOfTheModel() {
        int[] shape = {3, 8, 8};
        double[] flat = new double[3 * 64];
        Arrays.fill(flat, 0.5);
        assertArrayEquals(new double[64], Controls.edges(flat, shape), 1e-12, "no edges in a flat image");
        double[] step = new double[3 * 64];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 4; x < 8; x++) {
                    step[c * 64 + y * 8 + x] = 1;
                }
            }
        }
        double[] edges = Controls.edges(step, shape);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean atStep = x == 3 || x == 4;
                assertEquals(atStep, edges[y * 8 + x] > 0, "x " + x);
            }
        }
        double[] centre = Controls.centre(8, 8);
        assertEquals(centre[3 * 8 + 3], centre[4 * 8 + 4], 1e-12);
        assertTrue(centre[3 * 8 + 3] > centre[0]);
        double[] random = Controls.random(flat, shape);
        assertArrayEquals(random, Controls.random(flat.clone(), shape), "seeded by the image");
        assertTrue(!Arrays.equals(random, Controls.random(step, shape)), "another image, another map");
        assertTrue(Arrays.stream(random).allMatch(v -> v >= 0 && v < 1));
    }
}
