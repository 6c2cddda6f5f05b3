package org.xaiworkbench.explain.region;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;
import org.xaiworkbench.model.graph.GraphClassifier;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** XRAI's ranking against hand-worked cases, its base attribution against a linear model's closed form, and its map's invariants. */
class XraiTest {
    @Test
    void theRegionWithTheDensestNewAttributionGoesFirstAndItsNewPixelsGetThatDensity() {
        double[] attribution = {1, 2, 3, 4, 5, 6};
        List<int[]> regions = List.of(new int[]{0, 1, 2}, new int[]{3, 4, 5}, new int[]{2, 3});
        // {3,4,5} (mean 5); then {2,3} adds {2} (3) against {0,1,2} (2); then {0,1,2} adds {0,1} (1.5)
        assertArrayEquals(new double[]{1.5, 1.5, 3, 5, 5, 5}, Xrai.ranked(attribution, regions, 1.0, 1), 1e-12);
    }

    @Test
    void regionsAddingTooFewPixelsAreDroppedAndWhatNoRegionCoversGetsItsOwnMean() {
        double[] attribution = {1, 2, 3, 4, 5, 6};
        List<int[]> regions = List.of(new int[]{4, 5}, new int[]{3, 4, 5}, new int[]{0});
        // {4,5} first (5.5); {3,4,5} then adds one pixel and {0} one, fewer than 2: dropped; 0..3 keep their mean 2.5
        assertArrayEquals(new double[]{2.5, 2.5, 2.5, 2.5, 5.5, 5.5}, Xrai.ranked(attribution, regions, 1.0, 2), 1e-12);
        // an area threshold below the first region's share stops after it
        assertArrayEquals(new double[]{2.5, 2.5, 2.5, 2.5, 5.5, 5.5},
                Xrai.ranked(attribution, List.of(new int[]{4, 5}, new int[]{0, 1}), 0.2, 1), 1e-12);
    }

    @Test
    void theBaseAttributionOfALinearModelIsItsWeightsTimesTheDistanceToTheMidRange() {
        INDArray w = Nd4j.rand(DataType.DOUBLE, 3, 3 * 8 * 8).subi(0.5);
        GraphClassifier linear = TinyClassifiers.linear(w, Nd4j.zeros(DataType.DOUBLE, 3), 3, 8);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 8, 8);
        Xrai xrai = new Xrai(linear, new Xrai.Options(7, 32, 2, 4, 1.0, 64, Score.LOGIT));
        double[] base = xrai.baseAttribution(x, 1);
        double mid = (x.minNumber().doubleValue() + x.maxNumber().doubleValue()) / 2;
        double[] pixels = HostValues.of(x);
        for (int k = 0; k < base.length; k++) {
            assertEquals(w.getDouble(1, k) * (pixels[k] - mid), base[k], 1e-10, "value " + k);
        }
    }

    @Test
    void theMapSpreadsTheChannelMaximumOverRegionsWithoutChangingItsSum() {
        GraphClassifier model = TinyClassifiers.miniVgg(5, DataType.DOUBLE, 16);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 16, 16);
        Xrai xrai = new Xrai(model, new Xrai.Options(9, 48, 2, 8, 1.0, 64, Score.LOGIT));
        double[] map = HostValues.of(xrai.attribute(x, Target.perImage(0, 2)).attributions());
        assertEquals(2 * 16 * 16, map.length);
        for (int i = 0; i < 2; i++) {
            INDArray row = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup();
            double[] base = xrai.baseAttribution(row, i == 0 ? 0 : 2);
            double channelMax = 0;
            for (int p = 0; p < 256; p++) {
                channelMax += Math.max(base[p], Math.max(base[256 + p], base[512 + p]));
            }
            double sum = Arrays.stream(map, i * 256, (i + 1) * 256).sum();
            assertEquals(channelMax, sum, 1e-9 * Math.max(1, Math.abs(channelMax)), "image " + i);
            long levels = Arrays.stream(map, i * 256, (i + 1) * 256).distinct().count();
            assertTrue(levels > 1 && levels < 256, "piecewise constant over regions: " + levels + " levels");
        }
    }
}
