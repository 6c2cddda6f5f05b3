package org.xaiworkbench.explain.perturbation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AttributionResult;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimeTest {
    private static Lime.Options options(Segmentation segmentation, int batchSize, long seed) {
        return new Lime.Options(1000, segmentation, Baseline.Kind.ZERO, 0.25, 1.0, batchSize, Score.LOGIT, seed);
    }

    @Test
    void ranksTheSuperpixelsOfAnAdditiveModelByTheirContribution() {
        GridSegmentation grid = new GridSegmentation(2, 4);
        Superpixels segments = grid.of(32, 32);
        double[] weights = {5, -3, 1, 8, -6, 0.5, 3, -1};
        INDArray x = TestImages.noise(1, 32, 21);
        Lime lime = new Lime(ForwardOnlyClassifier.additive(segments, weights), options(grid, 64, 0));

        Lime.Explanation e = lime.explain(x, 0, new SplittableRandom(4));

        double[] means = ForwardOnlyClassifier.segmentMeans(x.ravel().toDoubleVector(), 3, segments);
        double[] contributions = new double[weights.length];
        Arrays.setAll(contributions, s -> weights[s] * means[s]);
        assertArrayEquals(order(contributions), order(e.coefficients()));
        for (int s = 0; s < weights.length; s++) {
            assertEquals(Math.signum(contributions[s]), Math.signum(e.coefficients()[s]), "sign of segment " + s);
        }
        assertTrue(e.weightedR2() > 0.999, "a linear model is fitted almost perfectly, R2 " + e.weightedR2());
        assertEquals(e.score(), e.localPrediction(), 0.05);
    }

    @Test
    void ridgeShrinksTowardsZeroLikeItsClosedForm() {
        // one feature, intercept: beta = sum w (x - xbar)(y - ybar) / (sum w (x - xbar)^2 + alpha)
        double[][] x = {{0}, {1}, {1}, {0}, {1}};
        double[] y = {1, 3, 4, 0, 2};
        double[] w = {1, 0.5, 2, 1, 0.25};
        double sw = Arrays.stream(w).sum();
        double xbar = (0.5 + 2 + 0.25) / sw;
        double ybar = (1 + 1.5 + 8 + 0 + 0.5) / sw;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < y.length; i++) {
            sxy += w[i] * (x[i][0] - xbar) * (y[i] - ybar);
            sxx += w[i] * (x[i][0] - xbar) * (x[i][0] - xbar);
        }
        WeightedRidge.Fit fit = WeightedRidge.fit(x, y, w, 1.0, true);

        assertEquals(sxy / (sxx + 1.0), fit.coefficients()[0], 1e-12);
        assertEquals(ybar - xbar * fit.coefficients()[0], fit.intercept(), 1e-12);
        double residual = 0;
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            residual += w[i] * Math.pow(y[i] - fit.predict(x[i]), 2);
            total += w[i] * Math.pow(y[i] - ybar, 2);
        }
        assertEquals(1 - residual / total, fit.weightedR2(), 1e-12);
    }

    @Test
    void kernelIsOnTheCosineDistanceToTheAllKeptVector() {
        int segments = 9;
        for (int kept = 0; kept <= segments; kept++) {
            double dot = kept;
            double cosine = kept == 0 ? 0 : dot / (Math.sqrt(kept) * Math.sqrt(segments));
            assertEquals(1 - cosine, Lime.cosineDistanceToAllKept(kept, segments), 1e-12);
        }
    }

    @Test
    void mapIsConstantPerSuperpixelInEveryChannelAndOptionsCarryTheFit() {
        GridSegmentation grid = new GridSegmentation(2, 2);
        Superpixels segments = grid.of(32, 32);
        double[] weights = {1, -2, 3, 0.5};
        INDArray x = TestImages.noise(2, 32, 22);
        Lime lime = new Lime(ForwardOnlyClassifier.additive(segments, weights), options(grid, 64, 3));

        AttributionResult result = lime.attribute(x, Target.fixed(0));

        for (int row = 0; row < 2; row++) {
            double[] perSegment = new double[4];
            for (int p = 0; p < 32 * 32; p++) {
                perSegment[segments.label(p)] = result.attributions().getDouble(row, 0, p / 32, p % 32);
            }
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 32 * 32; p++) {
                    assertEquals(perSegment[segments.label(p)], result.attributions().getDouble(row, c, p / 32, p % 32), 0);
                }
            }
            double[] means = ForwardOnlyClassifier.segmentMeans(
                    x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(row)).ravel().toDoubleVector(), 3, segments);
            double[] contributions = new double[4];
            Arrays.setAll(contributions, s -> weights[s] * means[s]);
            assertArrayEquals(order(contributions), order(perSegment), "row " + row);
        }
        List<?> r2 = (List<?>) result.options().get("weightedR2");
        assertEquals(2, r2.size());
        for (Object value : r2) {
            assertTrue((Double) value > 0.999 && (Double) value <= 1, "R2 " + value);
        }
        assertEquals(1000, result.options().get("samples"));
    }

    @Test
    void sameSeedSameMapWhateverTheBatchSize() {
        GridSegmentation grid = new GridSegmentation(3, 3);
        INDArray x = TestImages.noise(2, 32, 23);
        ForwardOnlyClassifier model = new ForwardOnlyClassifier() {
            @Override
            double logit(double[] image, int channels, int height, int width) {
                double[] m = segmentMeans(image, channels, grid.of(height, width));
                return Math.tanh(3 * m[0] - 2 * m[4]) + m[8] * m[2];
            }
        };
        INDArray first = new Lime(model, options(grid, 64, 5)).attribute(x, Target.fixed(0)).attributions();
        INDArray again = new Lime(model, options(grid, 13, 5)).attribute(x, Target.fixed(0)).attributions();
        INDArray other = new Lime(model, options(grid, 64, 6)).attribute(x, Target.fixed(0)).attributions();

        assertEquals(first, again);
        assertFalse(first.equalsWithEps(other, 1e-9), "another seed draws other samples");
        assertTrue(model.largestBatch <= 64);
    }

    @Test
    void forwardPassesAreBatched() {
        GridSegmentation grid = new GridSegmentation(2, 2);
        ForwardOnlyClassifier model = ForwardOnlyClassifier.additive(grid.of(32, 32), new double[]{1, 1, 1, 1});
        new Lime(model, options(grid, 128, 0)).explain(TestImages.noise(1, 32, 1), 0, new SplittableRandom(0));

        assertEquals(1000, model.imagesScored);
        assertEquals(8, model.forwardCalls, "ceil(1000 / 128)");
        assertEquals(128, model.largestBatch);
    }

    @Test
    void badOptionsNameTheOption() {
        GridSegmentation grid = new GridSegmentation(2, 2);
        assertMessage("samples", () -> new Lime.Options(1, grid, Baseline.Kind.MEAN, 0.25, 1, 64, Score.LOGIT, 0));
        assertMessage("kernelWidth", () -> new Lime.Options(100, grid, Baseline.Kind.MEAN, 0, 1, 64, Score.LOGIT, 0));
        assertMessage("ridgeAlpha", () -> new Lime.Options(100, grid, Baseline.Kind.MEAN, 0.25, -1, 64, Score.LOGIT, 0));
        assertMessage("batchSize", () -> new Lime.Options(100, grid, Baseline.Kind.MEAN, 0.25, 1, 0, Score.LOGIT, 0));
        assertMessage("hideColor", () -> new Lime.Options(100, grid, null, 0.25, 1, 64, Score.LOGIT, 0));
        assertMessage("segmentation", () -> new Lime.Options(100, null, Baseline.Kind.MEAN, 0.25, 1, 64, Score.LOGIT, 0));
    }

    private static void assertMessage(String option, org.junit.jupiter.api.function.Executable build) {
        String message = assertThrows(IllegalArgumentException.class, build).getMessage();
        assertTrue(message.contains(option), message);
    }

    /** Indices sorted by value, largest first. */
    private static int[] order(double[] values) {
        return java.util.stream.IntStream.range(0, values.length).boxed()
                .sorted((a, b) -> Double.compare(values[b], values[a])).mapToInt(Integer::intValue).toArray();
    }
}
