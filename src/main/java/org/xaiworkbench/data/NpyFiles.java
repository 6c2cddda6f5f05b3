package org.xaiworkbench.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Arrays as NumPy .npy files, so attributions can be compared with Captum's in Python. */
public final class NpyFiles {
    private NpyFiles() {
    }

    public static void write(Path target, INDArray array) throws IOException {
        byte[] bytes = Nd4j.toNpyByteArray(array.dup('c'));
        AtomicFiles.write(target, temp -> Files.write(temp, bytes));
    }

    /** The array in {@code file}, read by {@link NpyReader}: a file it refuses is one line naming it. */
    public static INDArray read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": missing");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return NpyReader.read(in, Files.size(file), file.toString());
        }
    }
}
