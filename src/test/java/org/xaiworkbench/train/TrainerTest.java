package org.xaiworkbench.train;

import org.xaiworkbench.data.OutputFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.Vgg13Network;
import org.xaiworkbench.model.vgg.VggTraining;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static TrainConfig config(Path dir, int epochs, double learningRate, boolean resume) {
        return new TrainConfig("tiny", epochs, 64, learningRate, 0, 3, 5000, 1280, 256, dir.resolve("checkpoints"),
                dir.resolve("weights"), resume);
    }

    private static Path batchDir() throws java.io.IOException {
        return DatasetLocator.standard().batchDir();
    }

    private static final Vgg13Network.Hyper HYPER = new Vgg13Network.Hyper(1e-3, 0, 3);

    @Test
    void aRunKilledAfterAnEpochResumesToExactlyTheEndOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        TrainReport uninterrupted = new Trainer(config(dir.resolve("whole"), 2, 1e-3, false), QUIET).run(batchDir());

        Path killed = dir.resolve("killed");
        new Trainer(config(killed, 1, 1e-3, false), QUIET).run(batchDir());
        Path checkpoints = killed.resolve("checkpoints/tiny");
        byte[] checkpoint = Files.readAllBytes(checkpoints.resolve(Checkpoint.FILE));
        // what a kill during the next epoch's checkpoint write leaves beside the previous checkpoint
        Path unfinished = checkpoints.resolve("." + Checkpoint.FILE + "4711.tmp");
        Files.write(unfinished, Arrays.copyOf(checkpoint, checkpoint.length / 2));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainReport resumed = new Trainer(config(killed, 2, 1e-3, true), new PrintStream(log)).run(batchDir());
        assertTrue(log.toString().contains("resuming tiny after epoch 1 of 2"), log.toString());
        assertFalse(Files.exists(unfinished), "the unfinished write is removed");

        assertEquals(2, resumed.epochs().size());
        for (int e = 0; e < 2; e++) {
            EpochStats a = uninterrupted.epochs().get(e);
            EpochStats b = resumed.epochs().get(e);
            assertEquals(List.of(a.trainLoss(), a.trainAccuracy(), a.validationLoss(), a.validationAccuracy()),
                    List.of(b.trainLoss(), b.trainAccuracy(), b.validationLoss(), b.validationAccuracy()), "epoch " + (e + 1));
        }
        assertEquals(uninterrupted.testLoss(), resumed.testLoss());
        assertArrayEquals(ModelStore.load(dir.resolve("whole/weights/tiny"), false).network().params().toFloatVector(),
                ModelStore.load(killed.resolve("weights/tiny"), false).network().params().toFloatVector(),
                "bit-identical weights");

        EpochStats first = resumed.epochs().get(0);
        EpochStats second = resumed.epochs().get(1);
        assertTrue(second.trainLoss() < first.trainLoss(), "train loss " + first.trainLoss() + " -> " + second.trainLoss());
        Path weights = killed.resolve("weights/tiny");
        for (String file : new String[]{ModelStore.MODEL_FILE, ModelStore.CARD_FILE, OutputFiles.TRAINING_METRICS,
                "confusion.csv", "confusion.png", "curves.png"}) {
            assertTrue(Files.size(weights.resolve(file)) > 0, file);
        }
        assertEquals(256, Arrays.stream(resumed.confusion()).flatMapToLong(Arrays::stream).sum());
    }

    @Test
    void resumeRefusesACheckpointMadeWithOtherSettingsAndNamesThem(@TempDir Path dir) throws Exception {
        TrainConfig original = config(dir, 2, 1e-3, false);
        Recipe recipe = Recipe.of(original, DataHash.of(batchDir()));
        EpochStats epoch = new EpochStats(1, 2.0, 0.2, 2.0, 0.2, 1, 1);
        new Checkpoint(VggTraining.create(new Vgg13Network.Hyper(1e-3, 0, 3)), List.of(epoch), recipe)
                .save(original.runCheckpointDir());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(config(dir, 2, 2e-3, true), QUIET).run(batchDir()));
        assertTrue(e.getMessage().startsWith("--resume:"), e.getMessage());
        assertTrue(e.getMessage().contains("--lr 0.002 (checkpoint: 0.001)"), e.getMessage());
        assertFalse(e.getMessage().contains("--batch"), e.getMessage());
        assertFalse(Files.exists(original.runWeightsDir()), "nothing is written");

        new Checkpoint(VggTraining.create(new Vgg13Network.Hyper(1e-3, 0, 3)), List.of(epoch, epoch), recipe)
                .save(original.runCheckpointDir());
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(config(dir, 1, 1e-3, true), QUIET).run(batchDir()));
        assertTrue(shorter.getMessage().startsWith("--epochs 1: ") && shorter.getMessage().endsWith("already holds 2 epochs"),
                shorter.getMessage());

        Recipe otherData = new Recipe(1e-3, 0, 32, 3, 5000, 1280, 256, "0".repeat(64));
        List<String> differences = otherData.differencesFrom(recipe);
        assertEquals(2, differences.size(), differences.toString());
        assertTrue(differences.get(0).startsWith("--batch 64"), differences.toString());
        assertTrue(differences.get(1).startsWith("the CIFAR-10 files"), differences.toString());
    }

    @Test
    void aDamagedOrOutdatedCheckpointIsNamedInOneLine(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints/tiny");
        Files.createDirectories(checkpoints);
        Files.writeString(checkpoints.resolve(Checkpoint.FILE), "not a zip");
        DataException damaged = assertThrows(DataException.class, () -> Checkpoint.load(checkpoints, HYPER));
        assertTrue(damaged.getMessage().startsWith(checkpoints.resolve(Checkpoint.FILE) + ": not a readable checkpoint"),
                damaged.getMessage());

        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(checkpoints.resolve(Checkpoint.FILE)))) {
            zip.putNextEntry(new ZipEntry("recipe.json"));
            zip.write("{\"learningRate\": [".getBytes(StandardCharsets.UTF_8));
        }
        DataException badJson = assertThrows(DataException.class, () -> Checkpoint.load(checkpoints, HYPER));
        assertTrue(badJson.getMessage().contains("not a readable checkpoint"), badJson.getMessage());
        assertFalse(badJson.getMessage().contains("\n"), "one line: " + badJson.getMessage());

        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(checkpoints.resolve(Checkpoint.FILE)))) {
            zip.putNextEntry(new ZipEntry("network.zip"));
            zip.write(1);
        }
        DataException dl4jCheckpoint = assertThrows(DataException.class, () -> Checkpoint.load(checkpoints, HYPER));
        assertTrue(dl4jCheckpoint.getMessage().contains("earlier version"), dl4jCheckpoint.getMessage());

        Files.delete(checkpoints.resolve(Checkpoint.FILE));
        Files.writeString(checkpoints.resolve(ModelStore.MODEL_FILE), "an earlier version's model");
        DataException outdated = assertThrows(DataException.class, () -> Checkpoint.load(checkpoints, HYPER));
        assertTrue(outdated.getMessage().contains("earlier version"), outdated.getMessage());
        assertFalse(outdated.getMessage().contains("\n"));
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
