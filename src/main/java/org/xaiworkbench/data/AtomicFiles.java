package org.xaiworkbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a reader sees the old file or the complete new one, never a half-written one.
 * A full disk is one line naming the file, whatever library was writing it.
 */
public final class AtomicFiles {
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temp) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, Writer writer) throws IOException {
        try {
            writeAtomically(target, writer);
        } catch (IOException e) {
            String full = DiskFull.reason(e);
            if (full != null) {
                throw new IOException(target + ": " + full, e);
            }
            throw e;
        }
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            writer.writeTo(temp);
            if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                // temp files are created owner-only; the finished file gets the usual rw-r--r--
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, temp -> Files.writeString(temp, content));
    }
}
