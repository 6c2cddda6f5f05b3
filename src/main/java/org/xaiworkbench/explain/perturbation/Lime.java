package org.xaiworkbench.explain.perturbation;

import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LIME on superpixels (Ribeiro et al. 2016) with the defaults of the reference {@code lime_image}:
 * 1,000 samples, each superpixel kept or hidden with probability 1/2 (the first sample is the image
 * itself), hidden segments filled with their mean colour, samples weighted by
 * sqrt(exp(-d^2 / 0.25^2)) of their cosine distance d to the all-kept vector, and a weighted ridge
 * regression (alpha 1, unpenalised intercept, as scikit-learn's Ridge) of the target score on the
 * keep/hide indicators. lime_image's quickshift yields 1-2 segments on 32x32 images, so SLIC is the
 * default segmentation. Every pixel of the map, in every channel, carries its superpixel's
 * coefficient. Score defaults to LOGIT (Captum's Lime explains the model's raw output).
 *
 * <p>The local fit's weighted R^2 per row is in {@link Explanation#weightedR2()} and, for the rows of
 * the latest {@code attribute} call, in the result's options under "weightedR2".
 */
public final class Lime extends SurrogateAttribution<Lime.Options, Lime.Explanation> {
    public static final String ID = "lime";

    /**
     * @param samples     perturbations per image, the unperturbed image included (lime's num_samples)
     * @param hideColor   what a hidden superpixel shows: MEAN (its own mean colour) or ZERO (black)
     * @param kernelWidth width w of the exponential kernel on cosine distance
     * @param ridgeAlpha  L2 penalty of the local linear model
     */
    public record Options(int samples, Segmentation segmentation, Baseline.Kind hideColor, double kernelWidth, double ridgeAlpha,
                          int batchSize, Score score, long seed) implements SurrogateAttribution.Settings {
        public Options {
            OptionChecks.between("samples", samples, 2, OptionChecks.MAX_SAMPLES);
            OptionChecks.required("segmentation", segmentation, "a Segmentation");
            OptionChecks.oneOf("hideColor", hideColor, Baseline.Kind.MEAN, Baseline.Kind.ZERO);
            OptionChecks.positiveAtMost("kernelWidth", kernelWidth, 1e6);
            OptionChecks.between("ridgeAlpha", ridgeAlpha, 0, 1e12);
            OptionChecks.between("batchSize", batchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(1000, new SlicSegmentation(), Baseline.Kind.MEAN, 0.25, 1.0, 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("batchSize", batchSize, MemoryBudget.FLOAT_BYTES);
        }
    }

    /**
     * The local surrogate of one image: score ~ intercept + sum_s coefficients[s] * kept_s.
     *
     * @param localPrediction the surrogate at the all-kept sample, to compare with {@code score}
     * @param score           the model's score of the unperturbed image
     */
    public record Explanation(Superpixels superpixels, double[] coefficients, double intercept, double weightedR2,
                              double localPrediction, double score) implements SurrogateAttribution.Surrogate {
        @Override
        public double[] perSuperpixel() {
            return coefficients;
        }
    }

    private volatile List<Double> latestWeightedR2 = List.of();

    public Lime(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public Lime(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    /**
     * Every superpixel kept or hidden with probability 1/2, after the image itself; each sample
     * weighted by the kernel on its cosine distance to the image and fitted by ridge regression on the
     * keep/hide indicators.
     */
    @Override
    protected Plan<Explanation> plan(Superpixels superpixels, SplittableRandom random) {
        int segments = superpixels.count();
        boolean[][] masks = new boolean[options.samples()][segments];
        Arrays.fill(masks[0], true);
        for (int i = 1; i < masks.length; i++) {
            for (int s = 0; s < segments; s++) {
                masks[i][s] = random.nextBoolean();
            }
        }
        double[][] design = new double[masks.length][segments];
        double[] weights = new double[masks.length];
        double width2 = options.kernelWidth() * options.kernelWidth();
        for (int i = 0; i < masks.length; i++) {
            int kept = 0;
            for (int s = 0; s < segments; s++) {
                if (masks[i][s]) {
                    design[i][s] = 1;
                    kept++;
                }
            }
            double distance = cosineDistanceToAllKept(kept, segments);
            weights[i] = Math.sqrt(Math.exp(-distance * distance / width2));
        }
        return new Plan<>(masks, scores -> {
            WeightedRidge.Fit fit = WeightedRidge.fit(design, scores, weights, options.ridgeAlpha(), true);
            return new Explanation(superpixels, fit.coefficients(), fit.intercept(), fit.weightedR2(), fit.predict(design[0]),
                    scores[0]);
        });
    }

    /**
     * Cosine distance between a 0/1 vector with {@code kept} ones and the all-ones vector:
     * 1 - sqrt(kept / segments); scikit-learn treats the all-zero vector as at distance 1.
     */
    static double cosineDistanceToAllKept(int kept, int segments) {
        return kept == 0 ? 1.0 : 1.0 - Math.sqrt((double) kept / segments);
    }

    @Override
    protected void explained(List<Explanation> explanations) {
        latestWeightedR2 = explanations.stream().map(Explanation::weightedR2).toList();
    }

    @Override
    protected Map<String, Object> provenance() {
        Map<String, Object> map = new LinkedHashMap<>(super.provenance());
        map.put("weightedR2", latestWeightedR2);
        return map;
    }
}
