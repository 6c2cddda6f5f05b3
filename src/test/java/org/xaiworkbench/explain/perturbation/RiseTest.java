package org.xaiworkbench.explain.perturbation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Score;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RISE's masks against skimage's resize, and its maps against expectations on constant and additive models. */
class RiseTest {
    private static final int SIDE = 16;

    @Test
    void upsamplingIsSkimagesLinearResizeWithMirroredBorders() {
        // skimage.transform.resize([[0, 1]], (1, 6), order=1, mode='reflect', anti_aliasing=False)
        Rise.Interpolation twoToSix = new Rise.Interpolation(2, 6);
        double[] expected = {1 / 3.0, 0, 1 / 3.0, 2 / 3.0, 1, 2 / 3.0};
        for (int o = 0; o < 6; o++) {
            assertEquals(expected[o], twoToSix.at(o, new double[]{0, 1}, 0, 1), 1e-12, "output " + o);
        }
        // a 3x3 checkerboard resized the same way to 8x8 (skimage 0.19.3), rows and columns 2..4
        boolean[] checker = {true, false, true, false, true, false, true, false, true};
        Rise.MaskSampler sampler = new Rise.MaskSampler(new boolean[][]{checker}, new int[]{2}, new int[]{2}, 3, 6, 6);
        float[] mask = new float[36];
        sampler.mask(0, mask);
        double[][] skimage = {{0.5078125, 0.4609375, 0.4609375}, {0.4609375, 0.6953125, 0.6953125}, {0.4609375, 0.6953125, 0.6953125}};
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(skimage[y][x], mask[y * 6 + x], 1e-7, "pixel " + y + "," + x);
            }
        }
    }

    @Test
    void masksAreSoftAndKeepTheirProbabilityOnAverage() {
        Rise.MaskSampler sampler = new Rise.MaskSampler(3000, 4, 0.3, SIDE, SIDE, new SplittableRandom(3));
        float[] mask = new float[SIDE * SIDE];
        double sum = 0;
        for (int k = 0; k < 3000; k++) {
            sampler.mask(k, mask);
            for (float m : mask) {
                assertTrue(m >= 0 && m <= 1, "mask value " + m);
                sum += m;
            }
        }
        assertEquals(0.3, sum / (3000.0 * SIDE * SIDE), 0.01);
    }

    @Test
    void aConstantModelGetsItsScoreEverywhere() {
        ForwardOnlyClassifier constant = new ForwardOnlyClassifier() {
            @Override
            double logit(double[] image, int channels, int height, int width) {
                return 2.5;
            }
        };
        INDArray map = rise(constant, 4000, 0.5).attributions();
        assertEquals(2.5, map.meanNumber().doubleValue(), 0.05, "E[M] = p, so the map's expectation is the score");
        assertTrue(Math.abs(map.maxNumber().doubleValue() - 2.5) < 0.4 && Math.abs(map.minNumber().doubleValue() - 2.5) < 0.4,
                "every pixel near 2.5: " + map.minNumber() + ".." + map.maxNumber());
    }

    /**
     * On f(x) = sum w_p x_p the map's expectation is p sum(w x) + (1 - p) (K * (w x)) with K the masks'
     * autocorrelation, a blur: the weights come back up to scale, an offset and that blur.
     */
    @Test
    void anAdditiveModelGetsItsWeightsBackUpToScale() {
        double[] weights = new double[SIDE * SIDE];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = (p % SIDE < SIDE / 2 ? 1 : -1) * (p / SIDE < SIDE / 2 ? 2 : 1);
        }
        ForwardOnlyClassifier additive = new ForwardOnlyClassifier() {
            @Override
            double logit(double[] image, int channels, int height, int width) {
                double sum = 0;
                for (int p = 0; p < weights.length; p++) {
                    sum += weights[p] * image[p];
                }
                return sum;
            }
        };
        INDArray map = rise(additive, 3000, 0.5).attributions();
        double[] values = map.ravel().toDoubleVector();
        assertTrue(new org.apache.commons.math3.stat.correlation.PearsonsCorrelation().correlation(values, weights) > 0.9,
                "the map follows the weights");
    }

    private static org.xaiworkbench.explain.AttributionResult rise(ForwardOnlyClassifier model, int masks, double keep) {
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 1, 1, SIDE, SIDE);
        Rise rise = new Rise(model, new Rise.Options(masks, 4, keep, Baseline.Kind.ZERO, 256, Score.LOGIT, 7));
        org.xaiworkbench.explain.AttributionResult result = rise.attribute(ones, Target.fixed(0));
        assertArrayEquals(new long[]{1, 1, SIDE, SIDE}, result.attributions().shape());
        return result;
    }
}
