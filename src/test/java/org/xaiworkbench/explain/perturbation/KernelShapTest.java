package org.xaiworkbench.explain.perturbation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.AttributionResult;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Score;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelShapTest {
    private static final double TOLERANCE = 1e-4;

    private static KernelShap.Options options(Segmentation segmentation, int samples, long seed) {
        return new KernelShap.Options(samples, segmentation, Baseline.Kind.ZERO, 64, Score.LOGIT, seed);
    }

    @Test
    void recoversEachContributionOfAnAdditiveModelByExactEnumeration() {
        GridSegmentation grid = new GridSegmentation(3, 3);
        Superpixels segments = grid.of(32, 32);
        double[] weights = {3, -2, 0.5, 0, 1.5, -4, 2.5, 1, -0.7};
        INDArray x = TestImages.noise(1, 32, 1);
        KernelShap shap = new KernelShap(ForwardOnlyClassifier.additive(segments, weights), options(grid, 1000, 0));

        KernelShap.Explanation e = shap.explain(x.get(NDArrayIndex.point(0)), 0, new SplittableRandom(3));

        assertTrue(e.exact(), "2^9 - 2 = 510 coalitions fit in a budget of 1000");
        assertEquals(510, e.coalitions());
        double[] means = ForwardOnlyClassifier.segmentMeans(x.ravel().toDoubleVector(), 3, segments);
        for (int s = 0; s < weights.length; s++) {
            assertEquals(weights[s] * means[s], e.values()[s], TOLERANCE, "segment " + s);
        }
    }

    @Test
    void recoversAnAdditiveModelFromSampledCoalitionsToo() {
        GridSegmentation grid = new GridSegmentation(4, 4);
        Superpixels segments = grid.of(32, 32);
        double[] weights = new double[16];
        for (int s = 0; s < weights.length; s++) {
            weights[s] = Math.sin(3.0 * s + 1) * 4;
        }
        INDArray x = TestImages.noise(1, 32, 2);
        KernelShap shap = new KernelShap(ForwardOnlyClassifier.additive(segments, weights), options(grid, 300, 5));

        KernelShap.Explanation e = shap.explain(x, 0, new SplittableRandom(9));

        assertFalse(e.exact(), "300 of 65534 coalitions is sampling");
        double[] means = ForwardOnlyClassifier.segmentMeans(x.ravel().toDoubleVector(), 3, segments);
        for (int s = 0; s < weights.length; s++) {
            assertEquals(weights[s] * means[s], e.values()[s], TOLERANCE, "segment " + s);
        }
    }

    @Test
    void equalsTheShapleyFormulaOfANonAdditiveGameWhenEnumerated() {
        GridSegmentation grid = new GridSegmentation(2, 3);
        Superpixels segments = grid.of(32, 32);
        ForwardOnlyClassifier model = interacting(segments);
        INDArray x = TestImages.noise(1, 32, 4);
        KernelShap shap = new KernelShap(model, options(grid, 1000, 0));

        KernelShap.Explanation e = shap.explain(x, 0, new SplittableRandom(1));

        double[] exact = shapleyByDefinition(model, x.ravel().toDoubleVector(), segments);
        assertArrayEquals(exact, e.values(), TOLERANCE);
    }

    @Test
    void efficiencyHoldsWithSampledCoalitionsOnANonAdditiveModel() {
        GridSegmentation grid = new GridSegmentation(5, 5);
        INDArray x = TestImages.noise(2, 32, 6);
        KernelShap shap = new KernelShap(interacting(grid.of(32, 32)), options(grid, 200, 11));

        AttributionResult result = shap.attribute(x, Target.fixed(0));

        for (double delta : result.convergenceDelta()) {
            assertEquals(0, delta, TOLERANCE);
        }
        KernelShap.Explanation e = shap.explain(x.get(NDArrayIndex.point(1)), 0, new SplittableRandom(2));
        assertEquals(0, e.efficiencyGap(), 1e-9);
        assertTrue(Math.abs(e.score() - e.baselineScore()) > 0.1, "the test needs a non-trivial gap");
    }

    @Test
    void mapCarriesEachSuperpixelsValueInEveryChannel() {
        GridSegmentation grid = new GridSegmentation(2, 2);
        Superpixels segments = grid.of(32, 32);
        INDArray x = TestImages.noise(1, 32, 8);
        KernelShap shap = new KernelShap(ForwardOnlyClassifier.additive(segments, new double[]{1, 2, 3, 4}), options(grid, 100, 0));

        double[] values = shap.explain(x, 0, new SplittableRandom(0)).values();
        INDArray map = shap.attribute(x, Target.fixed(0)).attributions();

        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 32 * 32; p++) {
                assertEquals(values[segments.label(p)], map.getDouble(0, c, p / 32, p % 32), 1e-5);
            }
        }
    }

    @Test
    void sameSeedSameMapOtherSeedOtherMap() {
        GridSegmentation grid = new GridSegmentation(5, 5);
        INDArray x = TestImages.noise(2, 32, 12);
        ForwardOnlyClassifier model = interacting(grid.of(32, 32));

        INDArray first = new KernelShap(model, options(grid, 150, 7)).attribute(x, Target.fixed(0)).attributions();
        INDArray again = new KernelShap(model, new KernelShap.Options(150, grid, Baseline.Kind.ZERO, 7, Score.LOGIT, 7))
                .attribute(x, Target.fixed(0)).attributions();
        INDArray other = new KernelShap(model, options(grid, 150, 8)).attribute(x, Target.fixed(0)).attributions();

        assertEquals(first, again, "same seed, different batch size");
        assertFalse(first.equalsWithEps(other, 1e-6), "another seed draws other coalitions");
    }

    @Test
    void badOptionsNameTheOption() {
        GridSegmentation grid = new GridSegmentation(2, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options(grid, 0, 0)).getMessage().contains("samples"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new KernelShap.Options(10, grid, Baseline.Kind.ZERO, 0, Score.LOGIT, 0)).getMessage().contains("batchSize"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new KernelShap.Options(10, null, Baseline.Kind.ZERO, 8, Score.LOGIT, 0)).getMessage().contains("segmentation"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new KernelShap.Options(10, grid, null, 8, Score.LOGIT, 0)).getMessage().contains("hideColor"));
    }

    /**
     * logit = sum of segment means + a product of three of them + sin of the sum of three others: not
     * additive, and of higher order than the pairwise interactions paired sampling happens to get exactly.
     */
    private static ForwardOnlyClassifier interacting(Superpixels segments) {
        return new ForwardOnlyClassifier() {
            @Override
            double logit(double[] image, int channels, int height, int width) {
                double[] m = segmentMeans(image, channels, segments);
                double sum = 0;
                for (double v : m) {
                    sum += v;
                }
                return sum + 8 * m[0] * m[1] * m[2] + 3 * Math.sin(4 * (m[3] + m[4] + m[5]));
            }
        };
    }

    /** phi_s = sum over S not containing s of |S|!(n-|S|-1)!/n! (v(S + s) - v(S)), hidden = black. */
    private static double[] shapleyByDefinition(ForwardOnlyClassifier model, double[] image, Superpixels segments) {
        int n = segments.count();
        double[] value = new double[1 << n];
        for (int set = 0; set < value.length; set++) {
            double[] masked = image.clone();
            int plane = segments.height() * segments.width();
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    if ((set >> segments.label(p) & 1) == 0) {
                        masked[c * plane + p] = 0;
                    }
                }
            }
            value[set] = model.logit(masked, 3, segments.height(), segments.width());
        }
        double[] factorial = new double[n + 1];
        factorial[0] = 1;
        for (int k = 1; k <= n; k++) {
            factorial[k] = factorial[k - 1] * k;
        }
        double[] phi = new double[n];
        for (int s = 0; s < n; s++) {
            for (int set = 0; set < value.length; set++) {
                if ((set >> s & 1) == 0) {
                    int size = Integer.bitCount(set);
                    phi[s] += factorial[size] * factorial[n - size - 1] / factorial[n] * (value[set | 1 << s] - value[set]);
                }
            }
        }
        return phi;
    }
}
