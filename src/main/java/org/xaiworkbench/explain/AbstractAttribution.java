package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Predicted;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fixed pipeline every method runs: validate the input, resolve targets (repeating an image
 * once per target for top-k), let the method compute raw attributions for all rows, check the
 * shape, and package the result. Methods implement {@link #attributeRows}, and
 * {@link #attributePredicted} where one pass at the input can also find the predicted class.
 */
public abstract class AbstractAttribution implements Attribution {
    protected final Classifier classifier;
    protected final Score score;
    private final long seed;

    protected AbstractAttribution(Classifier classifier, Score score, long seed) {
        if (classifier == null) {
            throw new IllegalArgumentException("classifier must not be null");
        }
        this.classifier = classifier;
        this.score = score == null ? Score.LOGIT : score;
        this.seed = seed;
    }

    @Override
    public final AttributionResult attribute(INDArray x, Target target) {
        long start = System.nanoTime();
        Inputs.check(x);
        if (target.isPredicted()) {
            Predicted<INDArray> onePass = attributePredicted(x);
            if (onePass != null) {
                int[] image = new int[onePass.classes().length];
                Arrays.setAll(image, r -> r);
                return result(x, onePass.logits(), image, onePass.classes(), onePass.value(), start);
            }
        }
        INDArray logits = classifier.logits(x);
        int[] classes = target.resolve(logits);
        int k = target.rowsPerImage();
        int[] image = new int[classes.length];
        Arrays.setAll(image, r -> r / k);
        INDArray rows = k == 1 ? x : Nd4j.pullRows(x.reshape(x.size(0), -1), 1, image).reshape(image.length,
                x.size(1), x.size(2), x.size(3));
        return result(rows, logits, image, classes, attributeRows(rows, classes, new RowRandom(seed)), start);
    }

    private AttributionResult result(INDArray rows, INDArray logits, int[] image, int[] classes, INDArray attributions,
                                     long start) {
        checkShape(attributions, rows);
        double[] scores = targetScores(rows, logits, image, classes);
        double[] delta = convergenceDelta(new Attributed(rows, classes, scores, attributions, new RowRandom(seed)));
        return new AttributionResult(id(), attributions, image, classes, scores, delta, options(), System.nanoTime() - start);
    }

    /**
     * For methods whose one model pass is at the input itself: the attributions for each image's
     * predicted class together with the logits that chose it, from that single pass (the general path
     * runs a forward pass first to find the classes). Null for methods without such a pass.
     */
    protected Predicted<INDArray> attributePredicted(INDArray x) {
        return null;
    }

    /**
     * Raw attributions of rows[i] for class classes[i]: [M,C,H,W] of the input's shape or [M,1,H,W].
     * Random draws for row i must come from {@code random.row(i)} so results do not depend on batching.
     */
    protected abstract INDArray attributeRows(INDArray rows, int[] classes, RowRandom random);

    /**
     * What a completeness check needs, once the attributions are final: the rows and their classes, the
     * target scores at the rows (already computed from the pass that chose the classes, so no method
     * has to run f(x) again), the attributions, and the random streams {@link #attributeRows} drew
     * from (a fresh {@code random.row(i)} replays row i's draws, e.g. a random baseline).
     */
    public record Attributed(INDArray rows, int[] classes, double[] targetScores, INDArray attributions, RowRandom random) {
    }

    /**
     * Per-row completeness delta where the method has one; null otherwise. Called only for the
     * method's own results, never when a wrapper such as a noise tunnel uses its raw attributions,
     * so the check costs nothing there.
     */
    protected double[] convergenceDelta(Attributed attributed) {
        return null;
    }

    /** The resolved options, for the result and for the run's record. */
    protected abstract Map<String, Object> options();

    private double[] targetScores(INDArray rows, INDArray logits, int[] image, int[] classes) {
        double[] out = new double[classes.length];
        INDArray values = score == Score.LOGIT ? logits : Scores.of(logits, score);
        for (int r = 0; r < classes.length; r++) {
            out[r] = values.getDouble(image[r], classes[r]);
        }
        return out;
    }

    private static void checkShape(INDArray attributions, INDArray rows) {
        long[] s = attributions.shape();
        boolean ok = s.length == 4 && s[0] == rows.size(0) && (s[1] == rows.size(1) || s[1] == 1)
                && s[2] == rows.size(2) && s[3] == rows.size(3);
        if (!ok) {
            throw new IllegalStateException("attribution shape " + Arrays.toString(s) + " does not match input "
                    + Arrays.toString(rows.shape()));
        }
    }

    /** Seeded random streams, one per output row, independent of how rows are batched. */
    public static final class RowRandom {
        private final long seed;

        RowRandom(long seed) {
            this.seed = seed;
        }

        public SplittableRandom row(int i) {
            return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        }
    }
}
