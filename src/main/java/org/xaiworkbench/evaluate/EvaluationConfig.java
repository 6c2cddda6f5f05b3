package org.xaiworkbench.evaluate;

import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Every setting of an evaluation run, validated here. Defaults follow the references each metric
 * cites (README, "Which explanation to trust"), scaled from ImageNet's 224×224 to 32×32 where they are
 * sizes.
 *
 * @param steps               deletion/insertion steps (pixels move in {@code pixels/steps} groups)
 * @param deletionSubstrate   what deleted pixels become
 * @param insertionSubstrate  what insertion starts from
 * @param blurSigma           sigma in pixels of the blurred substrate
 * @param curveScore          score of the deletion, insertion and ROAD curves
 * @param roadLevels          fractions of pixels ROAD removes
 * @param roadNoise           standard deviation of the noise ROAD adds to imputed pixels
 * @param perturbations       random pixel subsets per image for infidelity and faithfulness correlation
 * @param subsetSize          pixels per subset
 * @param perturbationScore   score of infidelity and faithfulness correlation
 * @param sensitivityRadius   half-width of the uniform input noise of max-sensitivity
 * @param sensitivitySamples  noisy inputs per image for max-sensitivity
 * @param sensitivityImages   images (the first ones) scored for max-sensitivity
 * @param randomizationImages images (the first ones) scored by the sanity checks
 * @param bootstrapSamples    resamples of the 95 % bootstrap intervals
 * @param seed                seed of every random draw of the run
 * @param batch               images per forward call
 */
public record EvaluationConfig(int steps, Substrate deletionSubstrate, Substrate insertionSubstrate, double blurSigma,
                               Score curveScore, double[] roadLevels, double roadNoise, int perturbations, int subsetSize,
                               Score perturbationScore, double sensitivityRadius, int sensitivitySamples,
                               int sensitivityImages, int randomizationImages, int bootstrapSamples, long seed, int batch) {
    public static final double[] DEFAULT_ROAD_LEVELS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    public EvaluationConfig {
        positive("steps", steps);
        positive("perturbations", perturbations);
        positive("subset size", subsetSize);
        positive("sensitivity samples", sensitivitySamples);
        positive("bootstrap samples", bootstrapSamples);
        positive("batch", batch);
        if (sensitivityImages < 0 || randomizationImages < 0) {
            throw new IllegalArgumentException("sensitivity and randomization images must be >= 0, got " + sensitivityImages
                    + ", " + randomizationImages);
        }
        if (!(blurSigma > 0) || !(sensitivityRadius > 0) || !(roadNoise >= 0)) {
            throw new IllegalArgumentException("blur sigma and sensitivity radius must be > 0 and ROAD noise >= 0, got "
                    + blurSigma + ", " + sensitivityRadius + ", " + roadNoise);
        }
        if (roadLevels.length == 0 || Arrays.stream(roadLevels).anyMatch(f -> !(f > 0 && f < 1))) {
            throw new IllegalArgumentException("ROAD levels must be fractions in (0,1), got " + Arrays.toString(roadLevels));
        }
        if (deletionSubstrate == null || insertionSubstrate == null || curveScore == null || perturbationScore == null) {
            throw new IllegalArgumentException("substrates and scores must not be null");
        }
        roadLevels = roadLevels.clone();
    }

    public static EvaluationConfig defaults() {
        return new EvaluationConfig(32, Substrate.BLACK, Substrate.BLUR, 2.0, Score.PROBABILITY, DEFAULT_ROAD_LEVELS, 0.01,
                100, 32, Score.LOGIT, 0.02, 10, 20, 20, 1000, 0L, 128);
    }

    /**
     * The random stream {@code stream} of one image: independent across streams, images and seeds, and
     * the same for every method, so methods differ only by their maps.
     */
    public SplittableRandom random(String stream, int image) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (stream.hashCode() * 1_000_003L + image) * 0xBF58476D1CE4E5B9L);
    }

    public EvaluationConfig withSubsamples(int sensitivity, int randomization) {
        return new EvaluationConfig(steps, deletionSubstrate, insertionSubstrate, blurSigma, curveScore, roadLevels, roadNoise,
                perturbations, subsetSize, perturbationScore, sensitivityRadius, sensitivitySamples, sensitivity, randomization,
                bootstrapSamples, seed, batch);
    }

    public EvaluationConfig withCurves(int steps, Substrate deletion, Substrate insertion, Score score) {
        return new EvaluationConfig(steps, deletion, insertion, blurSigma, score, roadLevels, roadNoise, perturbations, subsetSize,
                perturbationScore, sensitivityRadius, sensitivitySamples, sensitivityImages, randomizationImages,
                bootstrapSamples, seed, batch);
    }

    public EvaluationConfig withSeed(long seed, int bootstrapSamples, int batch) {
        return new EvaluationConfig(steps, deletionSubstrate, insertionSubstrate, blurSigma, curveScore, roadLevels, roadNoise,
                perturbations, subsetSize, perturbationScore, sensitivityRadius, sensitivitySamples, sensitivityImages,
                randomizationImages, bootstrapSamples, seed, batch);
    }

    public EvaluationConfig withPerturbations(int perturbations, int subsetSize) {
        return new EvaluationConfig(steps, deletionSubstrate, insertionSubstrate, blurSigma, curveScore, roadLevels, roadNoise,
                perturbations, subsetSize, perturbationScore, sensitivityRadius, sensitivitySamples, sensitivityImages,
                randomizationImages, bootstrapSamples, seed, batch);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
