package org.xaiworkbench.explain.perturbation;

import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Feature ablation over superpixels, as Captum's FeatureAblation with a feature mask: each superpixel's
 * value is f(x) - f(x with that superpixel hidden), one forward pass per superpixel, painted over its
 * pixels in every channel. Hidden means black by default (Captum's baseline 0).
 */
public final class FeatureAblation extends SurrogateAttribution<FeatureAblation.Options, FeatureAblation.Explanation> {
    public static final String ID = "feature-ablation";

    /** @param hideColor what a hidden superpixel shows: ZERO (black) or MEAN (its own mean colour) */
    public record Options(Segmentation segmentation, Baseline.Kind hideColor, int batchSize, Score score) implements SurrogateAttribution.Settings {
        public Options {
            OptionChecks.required("segmentation", segmentation, "a Segmentation");
            OptionChecks.oneOf("hideColor", hideColor, Baseline.Kind.MEAN, Baseline.Kind.ZERO);
            OptionChecks.between("batchSize", batchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(new SlicSegmentation(), Baseline.Kind.ZERO, 64, Score.LOGIT);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("batchSize", batchSize, MemoryBudget.FLOAT_BYTES);
        }
    }

    /** Each superpixel's drop of the score when hidden. */
    public record Explanation(Superpixels superpixels, double[] drops) implements SurrogateAttribution.Surrogate {
        @Override
        public double[] perSuperpixel() {
            return drops;
        }
    }

    public FeatureAblation(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    /** The whole image, then the image without each superpixel in turn. */
    @Override
    protected Plan<Explanation> plan(Superpixels superpixels, SplittableRandom random) {
        int players = superpixels.count();
        boolean[][] masks = new boolean[players + 1][];
        masks[0] = new boolean[players];
        Arrays.fill(masks[0], true);
        for (int s = 0; s < players; s++) {
            masks[s + 1] = masks[0].clone();
            masks[s + 1][s] = false;
        }
        return new Plan<>(masks, scores -> {
            double[] drops = new double[players];
            for (int s = 0; s < players; s++) {
                drops[s] = scores[0] - scores[s + 1];
            }
            return new Explanation(superpixels, drops);
        });
    }
}
