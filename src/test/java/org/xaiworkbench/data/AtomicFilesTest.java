package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    @Test
    void finishedFileIsReadableByOthersAndNoTempIsLeft(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out.txt");
        AtomicFiles.writeString(target, "done");
        assertEquals("done", Files.readString(target));
        assertTrue(Files.getPosixFilePermissions(target).contains(PosixFilePermission.OTHERS_READ));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemp(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, temp -> {
            Files.writeString(temp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aFullDiskIsOneLineNamingTheFileEvenBehindImageIo(@TempDir Path dir) throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(isFull(full), "needs Linux's /dev/full, where every write fails with ENOSPC (some virtual machines lack it)");
        Path target = dir.resolve("figure.png");
        Files.writeString(target, "old");
        BufferedImage picture = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        List<AtomicFiles.Writer> writers = List.of(
                temp -> Files.write(full, new byte[1 << 16]),
                // ImageIO.write(..., File) deletes the file before writing, which as root would remove the device itself
                temp -> {
                    try (OutputStream device = Files.newOutputStream(full, StandardOpenOption.WRITE)) {
                        ImageIO.write(picture, "png", device);
                    }
                });
        for (AtomicFiles.Writer writer : writers) {
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, writer));
            assertEquals(target + ": no space left on device", e.getMessage());
            assertEquals("old", Files.readString(target));
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count());
            }
        }
    }

    /** Whether {@code device} is a device where writes fail; never creates it (a plain write would make a file of that name). */
    private static boolean isFull(Path device) {
        if (!Files.exists(device) || Files.isRegularFile(device)) {
            return false;
        }
        try {
            Files.write(device, new byte[1], StandardOpenOption.WRITE);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
