package org.xaiworkbench.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfusionMatrixTest {
    // actual x predicted, by hand:
    //          a  b  c
    //   a    [ 5, 1, 0 ]
    //   b    [ 2, 3, 1 ]
    //   c    [ 0, 0, 4 ]
    private final ConfusionMatrix cm = ConfusionMatrix.of(new long[][]{{5, 1, 0}, {2, 3, 1}, {0, 0, 4}});

    @Test
    void perClassPrecisionRecallF1() {
        assertEquals(5.0 / 7, cm.precision(0), 1e-12);
        assertEquals(3.0 / 4, cm.precision(1), 1e-12);
        assertEquals(4.0 / 5, cm.precision(2), 1e-12);
        assertEquals(5.0 / 6, cm.recall(0), 1e-12);
        assertEquals(3.0 / 6, cm.recall(1), 1e-12);
        assertEquals(1.0, cm.recall(2), 1e-12);
        double p = 5.0 / 7;
        double r = 5.0 / 6;
        assertEquals(2 * p * r / (p + r), cm.f1(0), 1e-12);
    }

    @Test
    void macroAveragesAndAccuracy() {
        assertEquals(12.0 / 16, cm.accuracy(), 1e-12);
        assertEquals((5.0 / 7 + 3.0 / 4 + 4.0 / 5) / 3, cm.macroPrecision(), 1e-12);
        assertEquals((5.0 / 6 + 0.5 + 1.0) / 3, cm.macroRecall(), 1e-12);
        assertEquals((cm.f1(0) + cm.f1(1) + cm.f1(2)) / 3, cm.macroF1(), 1e-12);
    }

    @Test
    void neverPredictedClassHasZeroPrecision() {
        ConfusionMatrix m = ConfusionMatrix.of(new long[][]{{2, 0}, {1, 0}});
        assertEquals(0.0, m.precision(1));
        assertEquals(0.0, m.f1(1));
    }

    @Test
    void csvHasHeaderAndRows() {
        String csv = cm.toCsv(List.of("a", "b", "c"));
        assertEquals("actual\\predicted,a,b,c\na,5,1,0\nb,2,3,1\nc,0,0,4\n", csv);
    }

    @Test
    void nonSquareIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[][]{{1, 2}, {3}}));
    }
}
