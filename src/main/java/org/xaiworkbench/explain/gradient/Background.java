package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.Scores;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference images of expectation methods (GradientSHAP, DeepSHAP). Callers should pass training
 * images, as the report's DeepExplainer did; registry factories only get a classifier, so their
 * default is a black image plus {@value #NOISE_IMAGES} uniform-noise images drawn with a fixed seed.
 * The images and their mean scores are computed once per input shape and kept, since a method
 * instance always sees the same classifier.
 */
final class Background {
    static final int NOISE_IMAGES = 15;
    private static final long NOISE_SEED = 20240601L;

    private final INDArray given;
    private long[] shape;
    private double[][] images;
    private double[] meanScores;

    Background(INDArray given) {
        check(given);
        this.given = given;
    }

    static void check(INDArray background) {
        if (background != null && (background.rank() != 4 || background.size(0) == 0)) {
            throw new IllegalArgumentException("background must be [B,C,H,W] with B > 0, got " + Arrays.toString(background.shape()));
        }
        if (background != null && (background.isNaN().any() || background.isInfinite().any())) {
            throw new IllegalArgumentException("background contains NaN or infinite values");
        }
    }

    static String describe(INDArray background) {
        return background == null ? "black + " + NOISE_IMAGES + " uniform noise" : background.size(0) + " images";
    }

    /** The background images, [C,H,W] flattened, for inputs shaped like {@code rows}. */
    synchronized double[][] images(INDArray rows) {
        long[] key = {rows.size(1), rows.size(2), rows.size(3)};
        if (!Arrays.equals(key, shape)) {
            images = build(rows);
            meanScores = null;
            shape = key;
        }
        return images;
    }

    /** The mean over the background images of score(b)[c] for each class c in classes. */
    synchronized double[] meanScores(Classifier classifier, Score score, INDArray rows, int[] classes) {
        double[][] references = images(rows);
        if (meanScores == null) {
            int size = Rows.imageSize(rows);
            double[] all = new double[references.length * size];
            for (int k = 0; k < references.length; k++) {
                System.arraycopy(references[k], 0, all, k * size, size);
            }
            meanScores = Scores.of(classifier.logits(Rows.batch(all, references.length, rows)), score).mean(0).toDoubleVector();
        }
        double[] out = new double[classes.length];
        for (int c = 0; c < classes.length; c++) {
            out[c] = meanScores[classes[c]];
        }
        return out;
    }

    private double[][] build(INDArray rows) {
        int size = Rows.imageSize(rows);
        if (given == null) {
            double[][] out = new double[NOISE_IMAGES + 1][];
            out[0] = new double[size];
            SplittableRandom random = new SplittableRandom(NOISE_SEED);
            for (int k = 1; k < out.length; k++) {
                out[k] = random.doubles(size).toArray();
            }
            return out;
        }
        if (given.size(1) != rows.size(1) || given.size(2) != rows.size(2) || given.size(3) != rows.size(3)) {
            throw new IllegalArgumentException("background images are " + Arrays.toString(given.shape())
                    + ", the inputs are " + Arrays.toString(rows.shape()));
        }
        return Rows.images(given);
    }
}
