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
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The arrays of a {@code .npz} file (numpy's {@code savez}: a zip of {@code .npy} entries), each read by
 * {@link NpyReader}. An entry's size is checked twice: the zip directory's uncompressed size against the limit and
 * the array's header before anything is inflated, then the inflated bytes as they arrive, since a zip header may lie.
 */
public final class NpzReader {
    private NpzReader() {
    }

    /** The arrays by entry name without {@code .npy}, in the file's order; other entries are ignored. */
    public static Map<String, INDArray> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": missing");
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().endsWith(".npy")) {
                    continue;
                }
                String where = file + ": entry '" + OneLine.of(entry.getName()) + "'";
                String key = entry.getName().substring(0, entry.getName().length() - ".npy".length());
                if (arrays.containsKey(key)) {
                    throw new DataException(where + ": appears twice");
                }
                if (entry.getSize() > NpyReader.MAX_FILE_BYTES) {
                    throw new DataException(where + ": the zip directory says it inflates to " + entry.getSize() + " bytes, more than the "
                            + NpyReader.MAX_FILE_BYTES + " an array and its header may take");
                }
                arrays.put(key, readEntry(zip, entry, where));
            }
        } catch (IOException e) {
            throw new DataException(file + ": not a readable .npz file (" + OneLine.cause(e) + ")", e);
        }
        return arrays;
    }

    private static INDArray readEntry(ZipFile zip, ZipEntry entry, String where) {
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
            return NpyReader.read(in, entry.getSize(), where);
        } catch (IOException e) {
            throw new DataException(where + ": cannot be read (" + OneLine.cause(e) + ")", e);
        }
    }
}
