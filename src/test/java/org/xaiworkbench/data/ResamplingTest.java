package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResamplingTest {
    @Test
    void everyAxisWeightRowSumsToOne() {
        for (int[] sizes : new int[][]{{32, 16}, {32, 28}, {16, 32}, {3, 7}, {7, 3}, {5, 5}}) {
            double[] w = Resampling.weights(sizes[0], sizes[1]);
            for (int o = 0; o < sizes[1]; o++) {
                double sum = 0;
                for (int k = 0; k < sizes[0]; k++) {
                    sum += w[o * sizes[0] + k];
                }
                assertEquals(1, sum, 1e-12, sizes[0] + " -> " + sizes[1] + " row " + o);
            }
        }
    }

    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 6);
        INDArray small = Resampling.fit(x, 3, 2, 3);
        assertArrayEquals(new long[]{2, 3, 2, 3}, small.shape());
        double block = (x.getDouble(1, 2, 2, 4) + x.getDouble(1, 2, 2, 5) + x.getDouble(1, 2, 3, 4) + x.getDouble(1, 2, 3, 5)) / 4;
        assertEquals(block, small.getDouble(1, 2, 1, 2), 1e-12);
    }

    @Test
    void greyIsBt601LumaAndAConstantStaysConstant() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 3, 8, 8);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1.0);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(0.5);
        INDArray grey = Resampling.fit(x, 1, 28, 20);
        assertArrayEquals(new long[]{1, 1, 28, 20}, grey.shape());
        assertEquals(0.299 + 0.587 * 0.5, grey.minNumber().doubleValue(), 1e-12);
        assertEquals(0.299 + 0.587 * 0.5, grey.maxNumber().doubleValue(), 1e-12);
    }

    @Test
    void picturesThatFitAreUntouchedAndOtherChannelCountsRefused() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32);
        assertSame(x, Resampling.fit(x, 3, 32, 32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resampling.fit(x, 4, 32, 32));
        assertEquals(true, e.getMessage().contains("4-channel"), e.getMessage());
    }
}
