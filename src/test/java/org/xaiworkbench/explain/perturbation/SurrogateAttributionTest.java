package org.xaiworkbench.explain.perturbation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame LIME and KernelSHAP share, driven by the smallest plan: one coalition per superpixel, its score as the value. */
class SurrogateAttributionTest {
    /** Public because provenance reads options records reflectively. */
    public record StubSettings(Segmentation segmentation, Baseline.Kind hideColor, int batchSize, Score score)
            implements SurrogateAttribution.Settings {
    }

    record StubScores(Superpixels superpixels, double[] perSuperpixel) implements SurrogateAttribution.Surrogate {
    }

    /** Keeps one superpixel at a time; the scores are the values. */
    static final class OneAtATime extends SurrogateAttribution<StubSettings, StubScores> {
        final List<List<StubScores>> explained = new ArrayList<>();

        OneAtATime(Classifier classifier, StubSettings settings) {
            super("one-at-a-time", classifier, settings);
        }

        @Override
        protected Plan<StubScores> plan(Superpixels superpixels, SplittableRandom random) {
            boolean[][] coalitions = new boolean[superpixels.count()][superpixels.count()];
            for (int s = 0; s < coalitions.length; s++) {
                coalitions[s][s] = true;
            }
            return new Plan<>(coalitions, scores -> new StubScores(superpixels, scores));
        }

        @Override
        protected void explained(List<StubScores> explanations) {
            explained.add(explanations);
        }
    }

    @Test
    void scoresThePlansCoalitionsInOrderAndPaintsEachValueOverItsSuperpixelInEveryChannel() {
        GridSegmentation grid = new GridSegmentation(2, 3);
        Superpixels segments = grid.of(32, 32);
        double[] weights = {2, -1, 0.5, 3, -4, 1.5};
        ForwardOnlyClassifier model = ForwardOnlyClassifier.additive(segments, weights);
        INDArray x = TestImages.noise(2, 32, 41);
        OneAtATime method = new OneAtATime(model, new StubSettings(grid, Baseline.Kind.ZERO, 4, Score.LOGIT));

        INDArray map = method.attribute(x, Target.fixed(0)).attributions();

        for (int row = 0; row < 2; row++) {
            double[] means = ForwardOnlyClassifier.segmentMeans(x.get(NDArrayIndex.point(row)).ravel().toDoubleVector(), 3, segments);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 32 * 32; p++) {
                    int s = segments.label(p);
                    // with the others black, coalition {s} scores w_s * mean_s
                    assertEquals(weights[s] * means[s], map.getDouble(row, c, p / 32, p % 32), 1e-5, "row " + row + " segment " + s);
                }
            }
        }
        assertEquals(1, method.explained.size());
        assertEquals(2, method.explained.get(0).size(), "one explanation per row");
        assertEquals(map.getDouble(1, 0, 0, 0), method.explained.get(0).get(1).perSuperpixel()[segments.label(0)], 1e-6,
                "in row order");
        assertTrue(model.largestBatch <= 4, "perturbations are scored in batches of batchSize");
    }
}
