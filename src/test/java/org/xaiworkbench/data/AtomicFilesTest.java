package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
