package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFolderTest {
    @Test
    void aCommittedRunReplacesTheWholeFolderAndAFailedOneLeavesItAsItWas(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out");
        try (RunFolder run = RunFolder.begin(target, "--out", name -> true)) {
            Files.writeString(run.path().resolve("a.txt"), "first");
            Files.writeString(run.path().resolve("old.txt"), "first");
            run.commit();
            assertEquals(target.resolve("a.txt"), run.committed(run.path().resolve("a.txt")));
        }
        try (RunFolder run = RunFolder.begin(target, "--out", name -> true)) {
            Files.writeString(run.path().resolve("a.txt"), "second, never finished");
        }
        assertEquals(List.of("out"), list(dir), "a failed run leaves nothing beside the folder");
        assertEquals(List.of("a.txt", "old.txt"), list(target));
        assertEquals("first", Files.readString(target.resolve("a.txt")));

        try (RunFolder run = RunFolder.begin(target, "--out", name -> true)) {
            Files.writeString(run.path().resolve("a.txt"), "third");
            run.commit();
        }
        assertEquals(List.of("a.txt"), list(target), "nothing of an earlier run is left");
        assertEquals("third", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void aFolderHoldingFilesTheCommandDoesNotWriteIsRefusedInOneLine(@TempDir Path dir) throws IOException {
        Path target = Files.createDirectories(dir.resolve("out"));
        Files.writeString(target.resolve("notes.txt"), "mine");
        Files.writeString(target.resolve("figure.png"), "a figure");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunFolder.begin(target, "--out", name -> name.endsWith(".png")));
        assertTrue(e.getMessage().startsWith("--out " + target + ": holds notes.txt, which this command does not write"), e.getMessage());
        assertEquals(List.of("out"), list(dir));
    }

    @Test
    void leftoversOfADeadProcessAreTidiedAndAFolderLeftAsideIsRestored(@TempDir Path dir) throws Exception {
        long dead = deadPid();
        Path target = dir.resolve("out");
        // killed between its two renames: the previous run was set aside and the new one not yet moved in
        Path previous = Files.createDirectories(dir.resolve(".out.previous-" + dead + "-1"));
        Files.writeString(previous.resolve("a.txt"), "previous");
        Path partial = Files.createDirectories(dir.resolve(".out.partial-" + dead + "-2"));
        Files.writeString(partial.resolve("a.txt"), "complete but not moved in");
        Path running = Files.createDirectories(dir.resolve(".out.partial-" + ProcessHandle.current().pid() + "-3"));

        try (RunFolder run = RunFolder.begin(target, "--out", name -> true)) {
            assertEquals("previous", Files.readString(target.resolve("a.txt")), "the previous run is back in place");
            assertTrue(Files.notExists(partial), "a dead run's folder is removed");
            assertTrue(Files.isDirectory(running), "a living process's folder is left alone");
        }
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
