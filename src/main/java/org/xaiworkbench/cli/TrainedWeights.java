package org.xaiworkbench.cli;

import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.ModelFiles;
import org.xaiworkbench.model.GraphClassifier;
import org.xaiworkbench.model.VggClassifiers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The --model of the commands that explain or time a trained model (see {@link ModelFiles}). */
final class TrainedWeights {
    static final String HINT = "run make train";
    static final String DESCRIPTION = "the model: a folder (model.zip + model.json), a DL4J .zip or a PyTorch .npz "
            + "state dict of the VGG13, with <name>.json or model.json beside a file for class names and normalization; "
            + "default ${DEFAULT-VALUE}";

    private TrainedWeights() {
    }

    /** The model at {@code path}; a missing or unreadable one is named with the flag and {@code hint} on what to do. */
    static GraphClassifier load(Path path, String hint) throws IOException {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--model " + path + ": no such folder or file (" + hint + ")");
        }
        try {
            ModelFiles.Loaded loaded = ModelFiles.load(path);
            if (!Files.isDirectory(path)) {
                System.err.println("model: " + loaded.description());
            }
            return loaded.classifier();
        } catch (DataException e) {
            throw new DataException("--model " + e.getMessage(), e);
        }
    }
}
