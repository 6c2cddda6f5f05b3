package org.xaiworkbench.train;

import org.xaiworkbench.data.PathSegments;

import java.nio.file.Path;

/**
 * A training run. {@code trainLimit} caps the training split (0 = all 45,000) for quick runs;
 * {@code evalLimit} caps validation and test sets likewise (0 = all).
 */
public record TrainConfig(String runName, int epochs, int batchSize, double learningRate, double l2, long seed,
                          int validationSize, int trainLimit, int evalLimit, Path checkpointDir, Path weightsDir,
                          boolean resume) {
    public TrainConfig {
        PathSegments.check("--run", runName);
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs must be > 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch must be > 0, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("--l2 must be >= 0, got " + l2);
        }
        if (validationSize <= 0) {
            throw new IllegalArgumentException("--validation must be > 0, got " + validationSize);
        }
        if (trainLimit < 0 || evalLimit < 0) {
            throw new IllegalArgumentException("--train-limit and --eval-limit must be >= 0");
        }
    }

    public Path runCheckpointDir() {
        return PathSegments.child(checkpointDir, "--run", runName);
    }

    public Path runWeightsDir() {
        return PathSegments.child(weightsDir, "--run", runName);
    }
}
