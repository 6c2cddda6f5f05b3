package org.xaiworkbench.evaluate;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsTest {
    @Test
    void theIntervalHoldsTheMeanShrinksWithMoreDataAndIsSeeded() {
        SplittableRandom random = new SplittableRandom(1);
        double[] few = random.doubles(20).toArray();
        double[] many = random.doubles(2000).toArray();
        double[] a = Statistics.meanInterval(few, 1000, 4);
        assertArrayEquals(a, Statistics.meanInterval(few, 1000, 4));
        assertTrue(a[1] < a[0] && a[0] < a[2]);
        double[] b = Statistics.meanInterval(many, 1000, 4);
        assertTrue(b[2] - b[1] < (a[2] - a[1]) / 5, "the interval narrows about as 1/sqrt(n)");
        // a uniform variable's mean has standard error sqrt(1/12/n): the 95 % interval is about 3.92 of them wide
        assertEquals(3.92 * Math.sqrt(1.0 / 12 / many.length), b[2] - b[1], 0.2 * (b[2] - b[1]));
        assertArrayEquals(new double[]{2, 2, 2}, Statistics.meanInterval(new double[]{2, 2, 2}, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> Statistics.meanInterval(new double[0], 100, 1));
    }

    @Test
    void methodsWhoseIntervalsOverlapShareARank() {
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("low", new double[]{0.0, 0.01, 0.02, 0.01});
        values.put("mid", new double[]{0.5, 0.51, 0.49, 0.5});
        values.put("mid-too", new double[]{0.3, 0.7, 0.5, 0.52});
        values.put("high", new double[]{0.9, 0.91, 0.92, 0.9});
        List<Statistics.Summary> higher = Statistics.summarise(values, Direction.HIGHER, 500, 3);
        assertEquals(List.of(4, 2, 2, 1), higher.stream().map(Statistics.Summary::rank).toList());
        List<Statistics.Summary> lower = Statistics.summarise(values, Direction.LOWER, 500, 3);
        assertEquals(List.of(1, 2, 2, 4), lower.stream().map(Statistics.Summary::rank).toList());
        List<Statistics.Summary> described = Statistics.summarise(values, Direction.DESCRIPTOR, 500, 3);
        assertTrue(described.stream().allMatch(s -> s.rank() == 0), "descriptors are not ranked");
    }

    @Test
    void percentilesInterpolateAsNumpy() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.075, Statistics.percentile(sorted, 0.025), 1e-12);
        assertEquals(2.5, Statistics.percentile(sorted, 0.5), 1e-12);
        assertEquals(4, Statistics.percentile(sorted, 1), 1e-12);
    }
}
