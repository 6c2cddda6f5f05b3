package org.xaiworkbench.model;

import org.xaiworkbench.data.Normalization;

import java.util.List;

/** What travels with trained weights: how inputs were normalized, what the classes are, how it was made. */
public record ModelCard(String runName, List<String> classNames, double[] mean, double[] std, double learningRate,
                        double l2, long seed, int epochs, int batchSize, String dataSha256) {
    public Normalization normalization() {
        return new Normalization(mean, std);
    }
}
