package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NormalizationTest {
    @Test
    void oneChannelNormalizesItsPlane() {
        INDArray pixels = Nd4j.createFromArray(new float[]{0.2f, 0.6f, 1f, 0f}).reshape(1, 1, 2, 2);
        INDArray out = new Normalization(new double[]{0.5}, new double[]{0.25}).applyInPlace(pixels.dup());
        assertEquals(-1.2, out.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(2.0, out.getDouble(0, 0, 1, 0), 1e-6);
    }

    @Test
    void meanAndStdMustBeUsable() {
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[]{0.5, 0.5}, new double[]{0.2}));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[]{Double.POSITIVE_INFINITY}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[]{0.5}, new double[]{1e-45}));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[]{0.5}, new double[]{Double.NaN}));
        assertEquals(3, new Normalization(new double[]{0.4, 0.5, 0.6}, new double[]{0.2, 0.2, 0.2}).mean().length);
    }
}
