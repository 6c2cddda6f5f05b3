package org.xaiworkbench.cli;

import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.Vgg13Network;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

/** What the command tests share: a freshly initialised model folder, and a run with its standard error captured. */
final class CliRuns {
    static final List<String> CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private CliRuns() {
    }

    /** An untrained VGG13 saved as a weights folder at {@code folder}. */
    static Path freshModel(Path folder) throws IOException {
        ModelCard card = new ModelCard("test", CLASSES, new double[]{0.49, 0.48, 0.45}, new double[]{0.25, 0.24, 0.26},
                1e-3, 0, 7, 0, 64, "none");
        ModelStore.save(Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 7)), card, folder, false);
        return folder;
    }

    /** The exit code of {@code run}; {@code captured[0]} receives what it printed to standard error. */
    static int withStderr(String[] captured, IntSupplier run) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            return run.getAsInt();
        } finally {
            System.setErr(original);
            captured[0] = err.toString();
        }
    }
}
