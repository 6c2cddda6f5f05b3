package org.xaiworkbench.cli;

import org.xaiworkbench.model.SameDiffClassifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The --weights folder of the commands that explain or time a trained model. */
final class TrainedWeights {
    static final String HINT = "run make train";

    private TrainedWeights() {
    }

    /** The model in {@code folder}; a missing folder is named with the flag and {@code hint} on what to do. */
    static SameDiffClassifier load(Path folder, String hint) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--weights " + folder + ": not a folder (expected model.zip and model.json; " + hint + ")");
        }
        return SameDiffClassifier.load(folder);
    }
}
