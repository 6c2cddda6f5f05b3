package org.xaiworkbench.explain.perturbation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;
import org.xaiworkbench.model.graph.GraphClassifier;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feature ablation and Shapley value sampling against closed forms on a linear model, and sampling's exact efficiency. */
class AblationAndSamplingTest {
    private static final int CHANNELS = 2;
    private static final int SIDE = 4;

    /** The value a 2x2 grid cell gets on a linear model with a black baseline: sum over its pixels and channels of w_t,i x_i. */
    private static double[] cellContributions(INDArray w, INDArray x, int target) {
        double[] cells = new double[4];
        for (int c = 0; c < CHANNELS; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int xx = 0; xx < SIDE; xx++) {
                    int i = (c * SIDE + y) * SIDE + xx;
                    cells[(y / 2) * 2 + xx / 2] += w.getDouble(target, i) * x.getDouble(0, c, y, xx);
                }
            }
        }
        return cells;
    }

    private static double[] perCell(INDArray map) {
        return new double[]{map.getDouble(0, 0, 0, 0), map.getDouble(0, 0, 0, 2), map.getDouble(0, 0, 2, 0), map.getDouble(0, 1, 3, 3)};
    }

    @Test
    void onALinearModelBothGiveEachCellItsOwnContribution() {
        Nd4j.getRandom().setSeed(11);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 3, CHANNELS * SIDE * SIDE);
        GraphClassifier linear = TinyClassifiers.linear(w, Nd4j.randn(DataType.DOUBLE, 3), CHANNELS, SIDE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, CHANNELS, SIDE, SIDE);
        double[] expected = cellContributions(w, x, 1);
        Segmentation grid = new GridSegmentation(2, 2);
        INDArray ablation = new FeatureAblation(linear, new FeatureAblation.Options(grid, Baseline.Kind.ZERO, 3, Score.LOGIT))
                .attribute(x, Target.fixed(1)).attributions();
        assertArrayEquals(expected, perCell(ablation), 1e-5, "the score drops by the cell's contribution");
        for (long seed : new long[]{1, 2}) {
            INDArray sampled = new ShapleyValueSampling(linear, new ShapleyValueSampling.Options(3, grid, Baseline.Kind.ZERO, 5, Score.LOGIT, seed))
                    .attribute(x, Target.fixed(1)).attributions();
            assertArrayEquals(expected, perCell(sampled), 1e-5, "every order credits an additive model's cell alike, seed " + seed);
        }
    }

    @Test
    void everySampleOfOrdersSumsToTheScoresChangeFromTheHiddenImage() {
        GraphClassifier vgg = TinyClassifiers.miniVgg(4, DataType.DOUBLE, 16);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 16, 16);
        int[] classes = {2, 7};
        ShapleyValueSampling method = new ShapleyValueSampling(vgg,
                new ShapleyValueSampling.Options(2, new GridSegmentation(3, 3), Baseline.Kind.ZERO, 16, Score.LOGIT, 5));
        INDArray values = method.attribute(x, Target.perImage(classes)).attributions();
        INDArray black = vgg.logits(Nd4j.zeros(DataType.DOUBLE, 2, 3, 16, 16));
        INDArray logits = vgg.logits(x);
        for (int i = 0; i < 2; i++) {
            // each cell's value once: the cells of a 3x3 grid of 16 px start at floor(i * 16 / 3) rounded up: 0, 6, 11
            double sum = 0;
            for (int row : new int[]{0, 6, 11}) {
                for (int col : new int[]{0, 6, 11}) {
                    sum += values.getDouble(i, 0, row, col);
                }
            }
            double gap = logits.getDouble(i, classes[i]) - black.getDouble(i, classes[i]);
            assertEquals(gap, sum, 1e-5 * Math.max(1, Math.abs(gap)), "image " + i);
        }
        assertTrue(values.get(NDArrayIndex.point(0)).amaxNumber().doubleValue() > 0, "fixture must give non-trivial values");
    }

    @Test
    void segmentationsAreSettableByName() {
        assertEquals(16, ((GridSegmentation) Segmentation.parse("grid(4x4)")).of(8, 8).count());
        assertTrue(Segmentation.parse(" SLIC ") instanceof SlicSegmentation);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Segmentation.parse("grid(4)"));
        assertTrue(e.getMessage().contains("grid(ROWSxCOLS)"), e.getMessage());
        GraphClassifier vgg = TinyClassifiers.miniVgg(4, DataType.DOUBLE, 16);
        MethodContext context = MethodContext.of(vgg).withSettings(AttributionRegistry.settings(
                List.of("feature-ablation.segmentation=grid(2x2)"), null));
        FeatureAblation method = (FeatureAblation) AttributionRegistry.create("feature-ablation", context);
        assertEquals("grid(2x2)", method.settings().segmentation().describe());
        MethodContext bad = MethodContext.of(vgg).withSettings(AttributionRegistry.settings(List.of("feature-ablation.segmentation=hexagons"), null));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AttributionRegistry.create("feature-ablation", bad));
        assertTrue(refused.getMessage().contains("segmentation"), refused.getMessage());
    }
}
