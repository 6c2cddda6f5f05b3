package org.xaiworkbench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a run's numbers depend on besides its length: a checkpoint records it so that {@code --resume}
 * never continues a run with another learning rate, L2, batch, seed or data than it started with.
 */
public record Recipe(double learningRate, double l2, int batchSize, long seed, int validationSize, int trainLimit,
                     int evalLimit, String dataSha256) {
    static Recipe of(TrainConfig config, String dataSha256) {
        return new Recipe(config.learningRate(), config.l2(), config.batchSize(), config.seed(),
                config.validationSize(), config.trainLimit(), config.evalLimit(), dataSha256);
    }

    /** Each setting in which {@code requested} differs from this one, as "--flag requested (checkpoint: this)". */
    List<String> differencesFrom(Recipe requested) {
        List<String> differences = new ArrayList<>();
        compare(differences, "--lr", requested.learningRate, learningRate);
        compare(differences, "--l2", requested.l2, l2);
        compare(differences, "--batch", requested.batchSize, batchSize);
        compare(differences, "--seed", requested.seed, seed);
        compare(differences, "--validation", requested.validationSize, validationSize);
        compare(differences, "--train-limit", requested.trainLimit, trainLimit);
        compare(differences, "--eval-limit", requested.evalLimit, evalLimit);
        if (!Objects.equals(requested.dataSha256, dataSha256)) {
            differences.add("the CIFAR-10 files (SHA-256 " + abbreviate(requested.dataSha256) + ", checkpoint: "
                    + abbreviate(dataSha256) + ")");
        }
        return differences;
    }

    private static void compare(List<String> differences, String flag, Object requested, Object recorded) {
        if (!requested.equals(recorded)) {
            differences.add(flag + " " + requested + " (checkpoint: " + recorded + ")");
        }
    }

    private static String abbreviate(String sha) {
        return sha == null ? "not recorded" : sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
    }
}
