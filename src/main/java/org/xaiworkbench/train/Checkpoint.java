package org.xaiworkbench.train;

import com.fasterxml.jackson.core.type.TypeReference;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.Vgg13Network;
import org.xaiworkbench.model.vgg.VggTraining;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The state of a run after an epoch, in one file written atomically: the parameters with their Adam
 * state, the epoch history and the recipe. One file, so that a kill can never leave a model one epoch ahead of
 * its history; a kill during the write leaves the previous checkpoint and a temporary file, which the
 * next resume deletes.
 */
record Checkpoint(VggTraining training, List<EpochStats> history, Recipe recipe) {
    static final String FILE = "checkpoint.zip";
    /** What earlier versions wrote: a model and a history in two files, without the recipe. */
    private static final String LEGACY_MODEL_FILE = ModelStore.MODEL_FILE;
    /** What versions before the hand-written training step held: a DL4J network. */
    private static final String LEGACY_NETWORK_ENTRY = "network.zip";
    private static final String STATE_ENTRY = "training-state.bin";
    private static final String HISTORY_ENTRY = "history.json";
    private static final String RECIPE_ENTRY = "recipe.json";

    void save(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), temp -> {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
                zip.putNextEntry(new ZipEntry(RECIPE_ENTRY));
                zip.write(ModelStore.JSON.writeValueAsBytes(recipe));
                zip.putNextEntry(new ZipEntry(HISTORY_ENTRY));
                zip.write(ModelStore.JSON.writeValueAsBytes(history));
                // float parameters and Adam moments hardly compress; deflating them costs time every epoch for nothing
                zip.setLevel(Deflater.NO_COMPRESSION);
                zip.putNextEntry(new ZipEntry(STATE_ENTRY));
                DataOutputStream state = new DataOutputStream(unclosable(zip));
                training.write(state);
                state.flush();
                zip.closeEntry();
            }
        });
    }

    /** The run's checkpoint in {@code dir}, or empty when there is none; temporary files of killed writes are removed. */
    static Optional<Checkpoint> load(Path dir, Vgg13Network.Hyper hyper) throws IOException {
        removeUnfinishedWrites(dir);
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            if (Files.isRegularFile(dir.resolve(LEGACY_MODEL_FILE))) {
                throw new DataException(dir + ": a checkpoint of an earlier version, which did not record its "
                        + "recipe or dropout state; delete the folder and train without --resume");
            }
            return Optional.empty();
        }
        Recipe recipe = null;
        List<EpochStats> history = null;
        VggTraining training = null;
        boolean legacy = false;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                switch (entry.getName()) {
                    case RECIPE_ENTRY -> recipe = ModelStore.JSON.readValue(zip.readAllBytes(), Recipe.class);
                    case HISTORY_ENTRY -> history = ModelStore.JSON.readValue(zip.readAllBytes(),
                            new TypeReference<List<EpochStats>>() { });
                    case STATE_ENTRY -> training = VggTraining.read(new DataInputStream(unclosable(zip)), hyper);
                    case LEGACY_NETWORK_ENTRY -> legacy = true;
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": not a readable checkpoint (" + DataException.firstLine(e) + ")", e);
        }
        if (legacy && training == null) {
            throw new DataException(file + ": a checkpoint of an earlier version, which held a DL4J network instead of "
                    + "the training state; delete the folder and train without --resume");
        }
        if (recipe == null || history == null || training == null) {
            throw new DataException(file + ": not a readable checkpoint (it lacks "
                    + (recipe == null ? RECIPE_ENTRY : history == null ? HISTORY_ENTRY : STATE_ENTRY) + ")");
        }
        return Optional.of(new Checkpoint(training, List.copyOf(history), recipe));
    }

    private static void removeUnfinishedWrites(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "." + FILE + "*.tmp")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /** The zip must stay open after an entry is written or read, whatever the serializer does with its stream. */
    private static OutputStream unclosable(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static InputStream unclosable(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }
}
