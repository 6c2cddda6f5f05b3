package org.xaiworkbench.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The arrays of a {@code .npz} file (numpy's {@code savez}: a zip of {@code .npy} entries), each read by
 * {@link NpyReader}. An entry's size is checked twice: the zip directory's uncompressed size against the limits and
 * the array's header before anything is inflated, then the inflated bytes as they arrive, since a zip header may lie.
 */
public final class NpzReader {
    /**
     * The most all arrays of one .npz may take together, 4 GiB: each array is limited on its own
     * ({@link NpyReader#MAX_ARRAY_BYTES}), and this stops a file of many zip bombs from adding them up. Any image
     * classifier's state dict fits (the report's VGG13 takes 24 MB, VGG16 553 MB, ViT-H/14 2.5 GB in float32).
     */
    public static final long MAX_TOTAL_BYTES = 4L << 30;

    private NpzReader() {
    }

    /** The arrays by entry name without {@code .npy}, in the file's order; other entries are ignored. */
    public static Map<String, INDArray> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": missing");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, ZipEntry> entries = arrayEntries(file, zip);
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (Map.Entry<String, ZipEntry> e : entries.entrySet()) {
                arrays.put(e.getKey(), readEntry(zip, e.getValue(), where(file, e.getValue())));
            }
            return arrays;
        } catch (IOException e) {
            throw new DataException(file + ": not a readable .npz file (" + OneLine.cause(e) + ")", e);
        }
    }

    /**
     * The .npy entries by key, their sizes checked against the limits from the zip directory before any is read:
     * NpyReader reads no more than the size given, so these sizes bound what the whole file can allocate.
     */
    private static Map<String, ZipEntry> arrayEntries(Path file, ZipFile zip) {
        Map<String, ZipEntry> entries = new LinkedHashMap<>();
        long total = 0;
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            if (entry.isDirectory() || !entry.getName().endsWith(".npy")) {
                continue;
            }
            String where = where(file, entry);
            if (entries.put(entry.getName().substring(0, entry.getName().length() - ".npy".length()), entry) != null) {
                throw new DataException(where + ": appears twice");
            }
            if (entry.getSize() < 0) {
                throw new DataException(where + ": the zip directory does not give its size");
            }
            if (entry.getSize() > NpyReader.MAX_FILE_BYTES) {
                throw new DataException(where + ": the zip directory says it inflates to " + entry.getSize() + " bytes, more than the "
                        + NpyReader.MAX_FILE_BYTES + " an array and its header may take");
            }
            total += entry.getSize();
            if (total > MAX_TOTAL_BYTES) {
                throw new DataException(where + ": the arrays up to this one take " + total + " bytes by the zip directory, more than the "
                        + MAX_TOTAL_BYTES + " a .npz may hold");
            }
        }
        return entries;
    }

    private static String where(Path file, ZipEntry entry) {
        return file + ": entry '" + OneLine.of(entry.getName()) + "'";
    }

    private static INDArray readEntry(ZipFile zip, ZipEntry entry, String where) {
        // ZipFile does not check the checksum (numpy does): without this, a flipped bit in a stored entry would load as a changed weight
        CRC32 checksum = new CRC32();
        INDArray array;
        try (InputStream in = new CheckedInputStream(new BufferedInputStream(zip.getInputStream(entry)), checksum)) {
            array = NpyReader.read(in, entry.getSize(), where);
        } catch (IOException e) {
            throw new DataException(where + ": cannot be read (" + OneLine.cause(e) + ")", e);
        }
        if (entry.getCrc() != -1 && checksum.getValue() != entry.getCrc()) {
            throw new DataException(where + ": its bytes do not match the zip's checksum (the file is damaged)");
        }
        return array;
    }
}
