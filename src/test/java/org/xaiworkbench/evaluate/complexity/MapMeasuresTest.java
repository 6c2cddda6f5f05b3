package org.xaiworkbench.evaluate.complexity;

import org.xaiworkbench.evaluate.Maps;
import org.xaiworkbench.evaluate.Similarity;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closed forms of the map descriptors and the similarities. */
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

}
