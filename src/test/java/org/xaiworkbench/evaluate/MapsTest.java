package org.xaiworkbench.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class MapsTest {
    @Test
    void pixelsAreOrderedFromTheHighestAttributionAndTiesKeepIndexOrder() {
        assertArrayEquals(new int[]{3, 1, 4, 0, 2}, Maps.descendingOrder(new double[]{-1, 0.5, -2, 2, 0.5}));
    }

    @Test
    void lastBitNoiseDoesNotReorderPixelsThatAreEqualInExactArithmetic() {
        // 0.1 + 0.2 and 0.3 differ in their last bit, as one value summed in two orders does
        double noisy = 0.1 + 0.2;
        assertArrayEquals(new int[]{0, 1, 2, 3}, Maps.descendingOrder(new double[]{1, noisy, 0.3, 0}));
        assertArrayEquals(new int[]{0, 1, 2, 3}, Maps.descendingOrder(new double[]{1, 0.3, noisy, 0}));
        assertArrayEquals(Similarity.ranks(new double[]{1, 0.3, 0.3, 0}), Similarity.ranks(Maps.rankingKeys(new double[]{1, noisy, 0.3, 0})), 0);
    }

    @Test
    void differencesAboveTheResolutionStillOrderPixels() {
        double unit = Math.pow(2, -16);
        assertArrayEquals(new int[]{2, 1, 0}, Maps.descendingOrder(new double[]{0, 2 * unit, 1}));
        assertArrayEquals(new int[]{1, 0, 2}, Maps.descendingOrder(new double[]{-4 * unit, -2 * unit, -1}));
    }

    @Test
    void rankingKeysDependOnTheMapsShapeNotItsScale() {
        double[] map = {0.25, -3, 1e-3, 7, 7 - 1e-13};
        double[] scaled = Arrays.stream(map).map(v -> v * 1e-9).toArray();
        assertArrayEquals(Maps.rankingKeys(map), Maps.rankingKeys(scaled), 0);
        assertArrayEquals(new double[3], Maps.rankingKeys(new double[3]), 0);
    }
}
