package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HostValuesTest {
    /** 0, 1, 2, ... in c order over [2,3,4]. */
    private static INDArray counting(DataType type) {
        return Nd4j.arange(24).castTo(type).reshape('c', 2, 3, 4);
    }

    @Test
    void readsValuesInCOrderWhateverTheLayout() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = counting(type);
            assertArrayEquals(java.util.stream.IntStream.range(0, 24).asDoubleStream().toArray(), HostValues.of(a), 0, type.name());
            // a permuted view, read in its own c order: its element [i,j,k] is a[k,j,i]
            INDArray permuted = a.permute(2, 1, 0);
            double[] expected = new double[24];
            int at = 0;
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 2; k++) {
                        expected[at++] = a.getDouble(k, j, i);
                    }
                }
            }
            assertArrayEquals(expected, HostValues.of(permuted), 0);
            // a row slice with an offset into its parent's buffer
            INDArray second = a.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all());
            assertArrayEquals(java.util.stream.IntStream.range(12, 24).asDoubleStream().toArray(), HostValues.of(second), 0);
            assertArrayEquals(expected, HostValues.of(permuted.dup('f')), 0);
        }
    }

    @Test
    void buildsArraysOfTheAskedTypeAndShape() {
        double[] values = {0.5, -1.25, 3, 1e-3, 7, 8};
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE, DataType.HALF}) {
            INDArray a = HostValues.array(values, new long[]{1, 2, 3}, type);
            assertEquals(type, a.dataType());
            assertArrayEquals(new long[]{1, 2, 3}, a.shape());
            assertEquals(-1.25, a.getDouble(0, 0, 1), 1e-3);
            assertEquals(8, a.getDouble(0, 1, 2), 1e-3);
            assertArrayEquals(values, HostValues.of(a.castTo(DataType.DOUBLE)), type == DataType.HALF ? 1e-3 : 1e-7);
        }
    }
}
