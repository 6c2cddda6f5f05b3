package org.xaiworkbench.evaluate;

import java.util.SplittableRandom;

/**
 * The run-wide settings of an evaluation, validated here; each metric's own settings are its options
 * record ({@link MetricSettings}).
 *
 * @param sensitivityImages   images (the first ones) scored for max-sensitivity
 * @param randomizationImages images (the first ones) scored by the sanity checks
 * @param bootstrapSamples    resamples of the 95 % bootstrap intervals
 * @param seed                seed of every random draw of the run
 * @param batch               images per forward call
 */
public record EvaluationConfig(int sensitivityImages, int randomizationImages, int bootstrapSamples, long seed, int batch)
        implements java.io.Serializable {
    public EvaluationConfig {
        if (sensitivityImages < 0 || randomizationImages < 0) {
            throw new IllegalArgumentException("sensitivity and randomization images must be >= 0, got " + sensitivityImages
                    + ", " + randomizationImages);
        }
        if (bootstrapSamples <= 0 || batch <= 0) {
            throw new IllegalArgumentException("bootstrap samples and batch must be > 0, got " + bootstrapSamples + ", " + batch);
        }
    }

    public static EvaluationConfig defaults() {
        return new EvaluationConfig(20, 20, 1000, 0L, 128);
    }

    /**
     * The random stream {@code stream} of one image: independent across streams, images and seeds, and
     * the same for every method, so methods differ only by their maps.
     */
    public SplittableRandom random(String stream, int image) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (stream.hashCode() * 1_000_003L + image) * 0xBF58476D1CE4E5B9L);
    }

    public EvaluationConfig withSubsamples(int sensitivity, int randomization) {
        return new EvaluationConfig(sensitivity, randomization, bootstrapSamples, seed, batch);
    }

    public EvaluationConfig withSeed(long seed, int bootstrapSamples, int batch) {
        return new EvaluationConfig(sensitivityImages, randomizationImages, bootstrapSamples, seed, batch);
    }
}
