package org.xaiworkbench.evaluate;

import org.junit.jupiter.api.Test;

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
        assertArrayEquals(Similarity.ranks(new double[]{1, 0.3, 0.3, 0}), Maps.ranks(new double[]{1, noisy, 0.3, 0}), 0);
    }

    @Test
    void differencesAboveSixteenSignificantBitsStillOrderPixels() {
        double step = Math.pow(2, -13);
        assertArrayEquals(new int[]{1, 0, 2}, Maps.descendingOrder(new double[]{1, 1 + step, 0.5}));
        assertArrayEquals(new int[]{2, 0, 1}, Maps.descendingOrder(new double[]{-1, -1 - step, -0.5}));
    }

    @Test
    void aHeavyTailKeepsItsOrderFarBelowTheLargestValue() {
        assertArrayEquals(new int[]{0, 2, 1, 4, 3}, Maps.descendingOrder(new double[]{1, 1e-9, 2e-9, 0, 3e-12}));
        assertArrayEquals(new double[]{0, -0.5}, Maps.rankingKeys(new double[]{0, -0.5}), 0);
    }
}
