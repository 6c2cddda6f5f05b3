package org.xaiworkbench.train;

/** One epoch's figures; train figures are running means over the epoch's batches in training mode. */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, double seconds, double imagesPerSecond) {
}
