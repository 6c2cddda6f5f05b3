package org.xaiworkbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CIFAR-10 in the official binary layout: records of 1 label byte then 1,024 red, 1,024 green
 * and 1,024 blue bytes. Every file is checked before use; a bad one is reported by name.
 */
public final class Cifar10 {
    public static final int RECORD_BYTES = 3073;
    public static final int IMAGE_BYTES = 3072;
    public static final int NUM_CLASSES = 10;
    public static final String BATCH_DIR = "cifar-10-batches-bin";
    public static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String META_FILE = "batches.meta.txt";

    private Cifar10() {
    }

    public static LabeledImages readTrain(Path batchDir) throws IOException {
        List<LabeledImages> parts = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            parts.add(readBatch(batchDir.resolve(name)));
        }
        return LabeledImages.concat(parts);
    }

    public static LabeledImages readTest(Path batchDir) throws IOException {
        return readBatch(batchDir.resolve(TEST_FILE));
    }

    public static List<String> classNames(Path batchDir) throws IOException {
        Path meta = batchDir.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            throw new DataException(meta + ": missing");
        }
        List<String> names = Files.readAllLines(meta).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != NUM_CLASSES) {
            throw new DataException(meta + ": expected " + NUM_CLASSES + " class names, found " + names.size());
        }
        return names;
    }

    /** Reads and validates one batch file: present, whole records, labels 0-9. */
    public static LabeledImages readBatch(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": missing");
        }
        long size = Files.size(file);
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new DataException(file + ": size " + size + " is not a positive multiple of " + RECORD_BYTES + " bytes");
        }
        byte[] raw = Files.readAllBytes(file);
        int n = (int) (size / RECORD_BYTES);
        byte[] pixels = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = raw[i * RECORD_BYTES] & 0xFF;
            if (label >= NUM_CLASSES) {
                throw new DataException(file + ": record " + i + " has label " + label + ", expected 0-9");
            }
            labels[i] = label;
            System.arraycopy(raw, i * RECORD_BYTES + 1, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
        }
        return new LabeledImages(pixels, labels);
    }
}
