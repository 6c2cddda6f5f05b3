package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * KernelSHAP (Lundberg and Lee 2017) over superpixels, solved as the shap library's KernelExplainer:
 * coalitions chosen and weighted by {@link ShapleyCoalitions}, then a weighted least-squares fit of
 * the scores with the efficiency constraint built in by eliminating the last superpixel, so the
 * values always sum exactly to f(x) - f(baseline). The baseline hides every superpixel (hide colour:
 * segment mean by default, or black). With at most 2^S - 2 samples needed (S superpixels) every
 * coalition is enumerated and the values are the exact Shapley values of the superpixel game.
 * Every pixel of the map, in every channel, carries its superpixel's value; the convergence delta
 * is sum of values - (f(x) - f(baseline)), read back from the map. Score defaults to LOGIT.
 */
public final class KernelShap extends SurrogateAttribution<KernelShap.Options, KernelShap.Explanation> {
    public static final String ID = "kernel-shap";

    /**
     * @param samples   coalition budget per image; reduced to 2^S - 2 (exact enumeration) when that is smaller
     * @param hideColor what a hidden superpixel shows: MEAN (its own mean colour) or ZERO (black)
     */
    public record Options(int samples, Segmentation segmentation, Baseline.Kind hideColor, int batchSize, Score score, long seed)
            implements SurrogateAttribution.Settings {
        public Options {
            OptionChecks.between("samples", samples, 1, OptionChecks.MAX_SAMPLES);
            OptionChecks.required("segmentation", segmentation, "a Segmentation");
            OptionChecks.oneOf("hideColor", hideColor, Baseline.Kind.MEAN, Baseline.Kind.ZERO);
            OptionChecks.between("batchSize", batchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(1000, new SlicSegmentation(), Baseline.Kind.MEAN, 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("batchSize", batchSize, MemoryBudget.FLOAT_BYTES);
        }
    }

    /**
     * Shapley values of the superpixels of one image.
     *
     * @param score         f(x), the model's score of the image
     * @param baselineScore f(baseline), every superpixel hidden
     * @param coalitions    coalitions evaluated besides the image and the baseline
     * @param exact         whether every coalition was enumerated
     */
    public record Explanation(Superpixels superpixels, double[] values, double score, double baselineScore, int coalitions,
                              boolean exact) implements SurrogateAttribution.Surrogate {
        /** sum(values) - (score - baselineScore); zero up to rounding by construction. */
        public double efficiencyGap() {
            return Arrays.stream(values).sum() - (score - baselineScore);
        }

        @Override
        public double[] perSuperpixel() {
            return values;
        }
    }

    public KernelShap(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public KernelShap(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    /**
     * The image and the baseline, whose scores the efficiency constraint holds the values to, then the
     * coalitions {@link ShapleyCoalitions} chooses, fitted by least squares (no penalty) with their
     * Shapley-kernel weights.
     */
    @Override
    protected Plan<Explanation> plan(Superpixels superpixels, SplittableRandom random) {
        int players = superpixels.count();
        ShapleyCoalitions coalitions = ShapleyCoalitions.choose(players, options.samples(), random);
        boolean[][] masks = new boolean[coalitions.masks.length + 2][];
        masks[0] = new boolean[players];
        Arrays.fill(masks[0], true);
        masks[1] = new boolean[players];
        System.arraycopy(coalitions.masks, 0, masks, 2, coalitions.masks.length);
        return new Plan<>(masks, scores -> new Explanation(superpixels, values(players, coalitions, scores), scores[0], scores[1],
                coalitions.masks.length, coalitions.exhaustive));
    }

    /** The Shapley values from the scores of the image, the baseline and then the coalitions. */
    private static double[] values(int players, ShapleyCoalitions coalitions, double[] scores) {
        double empty = scores[1];
        double gap = scores[0] - empty;
        double[] values = new double[players];
        if (players == 1) {
            values[0] = gap;
            return values;
        }
        // y - z_last * gap = sum_{j<last} phi_j (z_j - z_last): phi_last = gap - sum phi_j holds exactly
        int last = players - 1;
        int n = coalitions.masks.length;
        double[][] design = new double[n][last];
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            boolean[] z = coalitions.masks[i];
            double zLast = z[last] ? 1 : 0;
            for (int j = 0; j < last; j++) {
                design[i][j] = (z[j] ? 1 : 0) - zLast;
            }
            target[i] = scores[i + 2] - empty - zLast * gap;
        }
        double[] phi = WeightedRidge.fit(design, target, coalitions.weights, 0, false).coefficients();
        double sum = 0;
        for (int j = 0; j < last; j++) {
            values[j] = phi[j];
            sum += phi[j];
        }
        values[last] = gap - sum;
        return values;
    }

    /**
     * Re-derives each row's superpixels and scores f(baseline) (every segment hidden), reads the values
     * back from the map (one pixel per segment, channel 0) and reports sum - (f(x) - f(baseline)).
     * Superpixel images are float, so on a double model the delta also holds f(x) - f(float(x)), ~1e-8.
     */
    @Override
    protected double[] convergenceDelta(Attributed attributed) {
        INDArray rows = attributed.rows();
        INDArray attributions = attributed.attributions();
        int[] classes = attributed.classes();
        int n = (int) rows.size(0);
        double[] delta = new double[n];
        BatchScorer scorer = scorer();
        for (int i = 0; i < n; i++) {
            SuperpixelImage split = split(rows.get(NDArrayIndex.point(i)));
            double[] map = attributions.get(NDArrayIndex.point(i), NDArrayIndex.point(0)).ravel().toDoubleVector();
            double[] perSegment = new double[split.segments()];
            for (int p = map.length - 1; p >= 0; p--) {
                perSegment[split.superpixels.label(p)] = map[p];
            }
            double atBaseline = split.scores(scorer, classes[i], new boolean[][]{new boolean[split.segments()]})[0];
            delta[i] = Arrays.stream(perSegment).sum() - (attributed.targetScores()[i] - atBaseline);
        }
        return delta;
    }
}
