package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fixed pipeline every method runs: validate the input, resolve targets (repeating an image
 * once per target for top-k), let the method compute raw attributions for all rows, check the
 * shape, and package the result. Methods implement {@link #attributeRows}, and
 * {@link #attributeWithLogits} where their one pass at the input can also return its logits (and find
 * the predicted class), which saves the separate forward pass.
 */
public abstract class AbstractAttribution<O extends Record & MethodOptions> implements Attribution {
    protected final Classifier classifier;
    protected final O options;
    protected final Score score;
    private final String id;
    private final long seed;

    protected AbstractAttribution(String id, Classifier classifier, O options) {
        if (classifier == null) {
            throw new IllegalArgumentException(id + ": classifier must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException(id + ": options must not be null");
        }
        this.id = id;
        this.classifier = classifier;
        this.options = options;
        this.score = options.score();
        this.seed = options.seed();
        // a record the provenance cannot read fails here rather than at the first attribute()
        Provenance.of(options);
    }

    @Override
    public final String id() {
        return id;
    }

    /** The options this method runs with. */
    public final O settings() {
        return options;
    }

    @Override
    public final Map<String, Object> describeOptions() {
        return Provenance.of(options);
    }

    @Override
    public final AttributionResult attribute(INDArray x, Target target) {
        int[] streams = new int[(int) x.size(0)];
        Arrays.setAll(streams, i -> i);
        return attribute(x, target, streams);
    }

    @Override
    public final AttributionResult attribute(INDArray x, Target target, int[] streams) {
        long start = System.nanoTime();
        Inputs.check(x);
        if (streams.length != x.size(0)) {
            throw new IllegalArgumentException(id + ": " + streams.length + " random streams for " + x.size(0) + " images");
        }
        int[] known = target.knownClasses((int) x.size(0), classifier.numClasses());
        if (target.isPredicted() || known != null) {
            WithLogits<INDArray> onePass = attributeWithLogits(x, known);
            if (onePass != null) {
                int[] image = new int[onePass.classes().length];
                Arrays.setAll(image, r -> r);
                return result(x, onePass.logits(), image, onePass.classes(), onePass.value(), new RowRandom(seed, streams, 1), start);
            }
        }
        INDArray logits = classifier.logits(x);
        int[] classes = target.resolve(logits);
        int k = target.rowsPerImage();
        int[] image = new int[classes.length];
        Arrays.setAll(image, r -> r / k);
        INDArray rows = k == 1 ? x : Nd4j.pullRows(x.reshape(x.size(0), -1), 1, image).reshape(image.length,
                x.size(1), x.size(2), x.size(3));
        RowRandom random = new RowRandom(seed, streams, k);
        return result(rows, logits, image, classes, attributeRows(rows, classes, random), random, start);
    }

    private AttributionResult result(INDArray rows, INDArray logits, int[] image, int[] classes, INDArray attributions,
                                     RowRandom random, long start) {
        checkShape(attributions, rows);
        double[] scores = targetScores(rows, logits, image, classes);
        double[] delta = convergenceDelta(new Attributed(rows, classes, scores, attributions, random));
        return new AttributionResult(id, attributions, image, classes, scores, delta, provenance(), System.nanoTime() - start);
    }

    /**
     * For methods whose one model pass is at the input itself: the attributions for {@code classes} (or,
     * when null, each image's predicted class) together with the logits of that single pass (the general
     * path runs a forward pass first for the logits and classes). Null for methods without such a pass.
     */
    protected WithLogits<INDArray> attributeWithLogits(INDArray x, int[] classes) {
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

    /** The options as the result and the run's record show them; methods may add what they measured. */
    protected Map<String, Object> provenance() {
        return Provenance.of(options);
    }

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

    /**
     * Seeded random streams, one per output row, independent of how rows are batched. Output row r is
     * the (r mod k)-th target of image r / k, so it draws from stream {@code streams[r / k] * k + r mod k}:
     * row r itself when every image has its own index as stream.
     */
    public static final class RowRandom {
        private final long seed;
        private final int[] streams;
        private final int rowsPerImage;

        RowRandom(long seed, int[] streams, int rowsPerImage) {
            this.seed = seed;
            this.streams = streams.clone();
            this.rowsPerImage = rowsPerImage;
        }

        public SplittableRandom row(int i) {
            long stream = (long) streams[i / rowsPerImage] * rowsPerImage + i % rowsPerImage;
            return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
        }
    }
}
