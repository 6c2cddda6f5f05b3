package org.xaiworkbench.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A command's output folder written as one unit. The run writes into a hidden folder beside the target
 * ({@code .explain.partial-<pid>-<n>}) and {@link #commit()} swaps it in with two renames, so a run that
 * fails or is killed leaves the previous run's folder whole: never new figures beside an old index.
 * The next run into the same target tidies what a killed run left, restoring the previous folder if
 * the kill fell between the two renames.
 */
public final class RunFolder implements AutoCloseable {
    private static final String PARTIAL = ".partial-";
    private static final String PREVIOUS = ".previous-";

    private final Path target;
    private final Path partial;
    private boolean committed;

    private RunFolder(Path target, Path partial) {
        this.target = target;
        this.partial = partial;
    }

    /**
     * Starts a run that will replace {@code target} as a whole.
     *
     * @param flag  the option that named the folder, for messages
     * @param owned which of the folder's entries the command writes: any other entry (the user's own files,
     *              another command's output) would be lost with the old folder, so the run is refused
     */
    public static RunFolder begin(Path target, String flag, Predicate<String> owned) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new IllegalArgumentException(flag + " " + target + ": a command's output cannot be the file system's root");
        }
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(flag + " " + target + ": is a file, expected a folder");
        }
        Files.createDirectories(parent);
        tidy(absolute);
        if (Files.isDirectory(absolute)) {
            try (Stream<Path> entries = Files.list(absolute)) {
                List<String> foreign = entries.map(entry -> entry.getFileName().toString()).filter(owned.negate()).sorted().toList();
                if (!foreign.isEmpty()) {
                    throw new IllegalArgumentException(flag + " " + target + ": holds " + String.join(", ", foreign)
                            + ", which this command does not write; each run replaces the folder as a whole, so give it a folder of its own");
                }
            }
        }
        Path partial = Files.createTempDirectory(parent, "." + absolute.getFileName() + PARTIAL + ProcessHandle.current().pid() + "-");
        if (Files.getFileStore(partial).supportsFileAttributeView(PosixFileAttributeView.class)) {
            // temp folders are created owner-only; the finished one gets the usual rwxr-xr-x
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new RunFolder(absolute, partial);
    }

    /** Where the run writes until it commits. */
    public Path path() {
        return partial;
    }

    /** {@code file}, written under {@link #path()}, where it is once the run is committed. */
    public Path committed(Path file) {
        return target.resolve(partial.relativize(file.toAbsolutePath().normalize()));
    }

    /** Puts the run in place of the target folder and deletes the previous run. */
    public void commit() throws IOException {
        Path previous = null;
        if (Files.exists(target)) {
            previous = target.resolveSibling("." + target.getFileName() + PREVIOUS + ProcessHandle.current().pid() + "-" + System.nanoTime());
            move(target, previous);
        }
        move(partial, target);
        committed = true;
        if (previous != null) {
            deleteTree(previous);
        }
    }

    /** Deletes the run's folder unless it was committed: a failed run leaves the previous one as it was. */
    @Override
    public void close() {
        if (!committed) {
            try {
                deleteTree(partial);
            } catch (IOException e) {
                // what is left is removed by the next run into the same folder, once this process is gone
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Removes what runs into {@code target} left when their process died, and restores a previous run left aside. */
    private static void tidy(Path target) throws IOException {
        String name = "." + target.getFileName();
        List<Path> leftovers;
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            leftovers = siblings.filter(p -> p.getFileName().toString().startsWith(name + ".")).sorted().toList();
        }
        for (Path leftover : leftovers) {
            String rest = leftover.getFileName().toString().substring(name.length());
            boolean partial = rest.startsWith(PARTIAL);
            if (!(partial || rest.startsWith(PREVIOUS)) || ownerAlive(rest.substring((partial ? PARTIAL : PREVIOUS).length()))) {
                continue;
            }
            if (!partial && Files.notExists(target)) {
                move(leftover, target);
            } else {
                deleteTree(leftover);
            }
        }
    }

    /** Whether the process whose id starts {@code pidAndMore} ("1234-5678") still runs; unknown names count as alive and are left alone. */
    private static boolean ownerAlive(String pidAndMore) {
        int end = pidAndMore.indexOf('-');
        try {
            long pid = Long.parseLong(end < 0 ? pidAndMore : pidAndMore.substring(0, end));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Deletes a folder and everything in it; nothing happens if it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (Files.notExists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
