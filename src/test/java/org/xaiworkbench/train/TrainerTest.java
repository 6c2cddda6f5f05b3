package org.xaiworkbench.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.model.ModelStore;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static TrainConfig config(Path dir, int epochs, boolean resume) {
        return new TrainConfig("tiny", epochs, 64, 1e-3, 0, 3, 5000, 2048, 512, dir.resolve("checkpoints"),
                dir.resolve("weights"), resume);
    }

    @Test
    void interruptedRunResumesAfterItsLastCheckpointAndTheLossFalls(@TempDir Path dir) throws Exception {
        Path batchDir = DatasetLocator.standard().batchDir();
        TrainReport interrupted = new Trainer(config(dir, 1, false), new PrintStream(new ByteArrayOutputStream())).run(batchDir);
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints/tiny/model.zip")), "a checkpoint after every epoch");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainReport resumed = new Trainer(config(dir, 2, true), new PrintStream(log)).run(batchDir);
        assertTrue(log.toString().contains("resuming tiny after epoch 1 of 2"), log.toString());
        assertEquals(2, resumed.epochs().size());
        assertEquals(interrupted.epochs().get(0), resumed.epochs().get(0), "epoch 1 is taken from the checkpoint, not redone");

        EpochStats first = resumed.epochs().get(0);
        EpochStats second = resumed.epochs().get(1);
        assertTrue(second.trainLoss() < first.trainLoss(), "train loss " + first.trainLoss() + " -> " + second.trainLoss());
        assertTrue(second.validationLoss() < Math.log(10), "validation loss " + second.validationLoss() + " below chance");

        Path weights = dir.resolve("weights/tiny");
        for (String file : new String[]{ModelStore.MODEL_FILE, ModelStore.CARD_FILE, TrainReport.METRICS_FILE,
                "confusion.csv", "confusion.png", "curves.png"}) {
            assertTrue(Files.size(weights.resolve(file)) > 0, file);
        }
        assertEquals(512, java.util.Arrays.stream(resumed.confusion()).flatMapToLong(java.util.Arrays::stream).sum());
        assertEquals(ModelStore.load(weights, false).card().normalization().mean()[0], resumed.model().mean()[0]);
    }

    @Test
    void badOptionsAreRejectedByFlag(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig("x", 0, 64, 1e-3, 0, 1, 5000, 0, 0, dir, dir, false));
        assertTrue(e.getMessage().startsWith("--epochs must be > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig("bad/name", 1, 64, 1e-3, 0, 1, 5000, 0, 0, dir, dir, false));
        assertTrue(e.getMessage().startsWith("--run"), e.getMessage());
    }
}
