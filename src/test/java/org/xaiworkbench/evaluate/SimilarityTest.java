package org.xaiworkbench.evaluate;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SimilarityTest {
    @Test
    void tiedValuesShareTheirAverageRank() {
        // sorted: -1 (rank 1), 0 0 0 (ranks 2,3,4 -> 3), 2.5 (5), 7 7 (6,7 -> 6.5)
        assertArrayEquals(new double[]{3, 6.5, 1, 3, 5, 6.5, 3}, Similarity.ranks(new double[]{0, 7, -1, 0, 2.5, 7, 0}), 0);
    }

    @Test
    void spearmanEqualsCommonsMathOnMapsWithTies() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 20; round++) {
            double[] a = new double[1024];
            double[] b = new double[1024];
            for (int i = 0; i < a.length; i++) {
                // a CAM-like map: few distinct values, many ties
                a[i] = random.nextInt(40) / 8.0;
                b[i] = a[i] * random.nextDouble() + (random.nextInt(5) == 0 ? 0 : random.nextGaussian());
            }
            assertEquals(new SpearmansCorrelation().correlation(a, b), Similarity.spearman(a, b), 1e-12);
        }
    }

    @Test
    void aMapWithNaNIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Similarity.spearman(new double[]{1, Double.NaN, 3}, new double[]{1, 2, 3}));
    }
}
