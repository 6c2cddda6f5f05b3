package org.xaiworkbench.explain.perturbation;

import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.SplittableRandom;

/**
 * Shapley value sampling over superpixels (Castro et al. 2009), as Captum's ShapleyValueSampling with a
 * feature mask: for each of {@code permutations} random orders, the superpixels are shown one by one
 * from the fully hidden image, and each is credited with the score's change when it appears; the values
 * are the mean credits. Each order's credits sum to f(x) - f(hidden), so the values do too, exactly.
 * S * permutations + 1 forward passes for S superpixels.
 */
public final class ShapleyValueSampling extends SurrogateAttribution<ShapleyValueSampling.Options, ShapleyValueSampling.Explanation> {
    public static final String ID = "shapley-value-sampling";

    /**
     * @param permutations orders sampled per image (Captum's n_samples)
     * @param hideColor    what a hidden superpixel shows: ZERO (black, Captum's baseline 0) or MEAN
     */
    public record Options(int permutations, Segmentation segmentation, Baseline.Kind hideColor, int batchSize, Score score, long seed)
            implements SurrogateAttribution.Settings {
        public Options {
            OptionChecks.between("permutations", permutations, 1, OptionChecks.MAX_SAMPLES);
            OptionChecks.required("segmentation", segmentation, "a Segmentation");
            OptionChecks.oneOf("hideColor", hideColor, Baseline.Kind.MEAN, Baseline.Kind.ZERO);
            OptionChecks.between("batchSize", batchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(25, new SlicSegmentation(), Baseline.Kind.ZERO, 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("batchSize", batchSize, MemoryBudget.FLOAT_BYTES);
        }
    }

    /** The mean credits of the superpixels, and f(x) - f(hidden) they sum to. */
    public record Explanation(Superpixels superpixels, double[] values, double gap) implements SurrogateAttribution.Surrogate {
        @Override
        public double[] perSuperpixel() {
            return values;
        }
    }

    public ShapleyValueSampling(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    /** The hidden image, then for each order the image with its first 1, 2, ..., S superpixels shown. */
    @Override
    protected Plan<Explanation> plan(Superpixels superpixels, SplittableRandom random) {
        int players = superpixels.count();
        int orders = options.permutations();
        int[][] order = new int[orders][];
        boolean[][] masks = new boolean[1 + orders * players][];
        masks[0] = new boolean[players];
        for (int k = 0; k < orders; k++) {
            order[k] = shuffled(players, random);
            boolean[] shown = new boolean[players];
            for (int step = 0; step < players; step++) {
                shown[order[k][step]] = true;
                masks[1 + k * players + step] = shown.clone();
            }
        }
        return new Plan<>(masks, scores -> {
            double[] values = new double[players];
            for (int k = 0; k < orders; k++) {
                double before = scores[0];
                for (int step = 0; step < players; step++) {
                    double after = scores[1 + k * players + step];
                    values[order[k][step]] += (after - before) / orders;
                    before = after;
                }
            }
            return new Explanation(superpixels, values, scores[scores.length - 1] - scores[0]);
        });
    }

    /** A uniformly random order of 0..n-1 (Fisher-Yates). */
    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
