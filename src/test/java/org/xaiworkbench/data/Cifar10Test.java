package org.xaiworkbench.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Cifar10Test {
    private static Path batchDir;

    @BeforeAll
    static void locate() throws IOException {
        batchDir = DatasetLocator.standard().batchDir();
    }

    @Test
    void realArchiveHasTheOfficialSplitAndBalancedClasses() throws IOException {
        LabeledImages train = Cifar10.readTrain(batchDir);
        LabeledImages test = Cifar10.readTest(batchDir);
        assertEquals(50_000, train.size());
        assertEquals(10_000, test.size());
        int[] perClass = new int[10];
        for (int label : test.labels()) {
            perClass[label]++;
        }
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        assertEquals(java.util.List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                Cifar10.classNames(batchDir));
    }

    @Test
    void recordsAreLabelThenPlanarRgb(@TempDir Path dir) throws IOException {
        byte[] record = new byte[Cifar10.RECORD_BYTES];
        record[0] = 7;
        record[1] = (byte) 255;
        record[1 + 1024] = (byte) 128;
        record[1 + 2048 + 1023] = 64;
        Path file = dir.resolve("one.bin");
        Files.write(file, record);
        LabeledImages images = Cifar10.readBatch(file);
        assertEquals(7, images.labels()[0]);
        var x = images.pixelTensor(0, 1);
        assertEquals(1.0, x.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(128 / 255.0, x.getDouble(0, 1, 0, 0), 1e-6);
        assertEquals(64 / 255.0, x.getDouble(0, 2, 31, 31), 1e-6);
    }

    @Test
    void shortFileIsRejectedByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data_batch_1.bin");
        Files.write(file, new byte[Cifar10.RECORD_BYTES + 10]);
        DataException e = assertThrows(DataException.class, () -> Cifar10.readBatch(file));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("multiple of 3073"), e.getMessage());
    }

    @Test
    void badLabelIsRejectedWithItsRecord(@TempDir Path dir) throws IOException {
        byte[] data = new byte[2 * Cifar10.RECORD_BYTES];
        data[Cifar10.RECORD_BYTES] = 10;
        Path file = dir.resolve("test_batch.bin");
        Files.write(file, data);
        DataException e = assertThrows(DataException.class, () -> Cifar10.readBatch(file));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("record 1"), e.getMessage());
    }

    @Test
    void missingFileIsRejectedByName(@TempDir Path dir) {
        DataException e = assertThrows(DataException.class, () -> Cifar10.readTrain(dir));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void brokenArchiveLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("broken.tar.gz");
        Files.write(archive, new byte[]{31, (byte) 139, 8, 0, 1, 2, 3});
        Path datasets = dir.resolve("datasets");
        DatasetLocator locator = new DatasetLocator(datasets, Map.of(DatasetLocator.ENV_ARCHIVE, archive.toString()));
        DataException e = assertThrows(DataException.class, locator::batchDir);
        assertTrue(e.getMessage().contains("broken.tar.gz"), e.getMessage());
        try (var left = Files.list(datasets)) {
            assertFalse(left.findAny().isPresent(), "a failed extraction must leave datasets/ empty");
        }
    }

    @Test
    void missingConfiguredArchiveIsNamed(@TempDir Path dir) {
        Path archive = dir.resolve("nowhere.tar.gz");
        DatasetLocator locator = new DatasetLocator(dir.resolve("datasets"), Map.of(DatasetLocator.ENV_ARCHIVE, archive.toString()));
        DataException e = assertThrows(DataException.class, locator::batchDir);
        assertTrue(e.getMessage().contains("nowhere.tar.gz"), e.getMessage());
    }

    @Test
    void normalizationMatchesClosedForm() {
        byte[] px = new byte[2 * LabeledImages.PIXELS];
        java.util.Arrays.fill(px, 0, LabeledImages.PIXELS, (byte) 255);
        Normalization n = Normalization.of(new LabeledImages(px, new int[]{0, 1}));
        for (int c = 0; c < 3; c++) {
            assertEquals(0.5, n.mean()[c], 1e-12);
            assertEquals(0.5, n.std()[c], 1e-12);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.of(new LabeledImages(new byte[LabeledImages.PIXELS], new int[]{0})));
        assertTrue(e.getMessage().contains("std"), e.getMessage());
    }
}
