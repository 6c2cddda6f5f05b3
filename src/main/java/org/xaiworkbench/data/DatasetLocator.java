package org.xaiworkbench.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds CIFAR-10 and extracts it under datasets/. The archive comes from {@code CIFAR10_ARCHIVE}
 * (a path or URL) when set, else from ../shared/datasets when present, else from the official
 * address. Extraction goes to a temporary folder that is renamed into place only once every file
 * has been checked, so an interrupted run leaves nothing a later run would trust.
 */
public final class DatasetLocator {
    public static final String ENV_ARCHIVE = "CIFAR10_ARCHIVE";
    public static final String OFFICIAL_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    public static final Path SHARED_ARCHIVE = Path.of("..", "shared", "datasets", "cifar-10-binary.tar.gz");

    private final Path datasetsDir;
    private final Map<String, String> env;

    public DatasetLocator(Path datasetsDir, Map<String, String> env) {
        this.datasetsDir = datasetsDir;
        this.env = env;
    }

    public static DatasetLocator standard() {
        return new DatasetLocator(Path.of("datasets"), System.getenv());
    }

    /** The folder holding the batch files, extracting the archive first if needed. */
    public Path batchDir() throws IOException {
        Path target = datasetsDir.resolve(Cifar10.BATCH_DIR);
        if (Files.isDirectory(target)) {
            return target;
        }
        String source = archiveSource();
        Files.createDirectories(datasetsDir);
        Path staging = Files.createTempDirectory(datasetsDir, ".extract-");
        try {
            try (InputStream in = open(source)) {
                extract(in, staging, source);
            }
            Path extracted = staging.resolve(Cifar10.BATCH_DIR);
            validate(extracted, source);
            Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(staging);
        }
        return target;
    }

    String archiveSource() {
        String configured = env.get(ENV_ARCHIVE);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (Files.isRegularFile(SHARED_ARCHIVE)) {
            return SHARED_ARCHIVE.toString();
        }
        return OFFICIAL_URL;
    }

    private static InputStream open(String source) throws IOException {
        if (source.startsWith("http://") || source.startsWith("https://") || source.startsWith("file:")) {
            try {
                return new BufferedInputStream(URI.create(source).toURL().openStream());
            } catch (IOException e) {
                throw new DataException(source + ": cannot download (" + e + "); set " + ENV_ARCHIVE
                        + " to a local copy of cifar-10-binary.tar.gz", e);
            }
        }
        Path path = Path.of(source);
        if (!Files.isRegularFile(path)) {
            throw new DataException(source + ": archive not found (set " + ENV_ARCHIVE + " to a path or URL)");
        }
        return new BufferedInputStream(Files.newInputStream(path));
    }

    private static void extract(InputStream in, Path staging, String source) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new DataException(source + ": entry '" + entry.getName() + "' escapes the archive");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out);
                }
            }
        } catch (IOException e) {
            throw new DataException(source + ": not a readable .tar.gz archive (" + e.getMessage() + ")", e);
        }
    }

    private static void validate(Path extracted, String source) throws IOException {
        if (!Files.isDirectory(extracted)) {
            throw new DataException(source + ": archive has no " + Cifar10.BATCH_DIR + "/ folder");
        }
        Cifar10.readTrain(extracted);
        Cifar10.readTest(extracted);
        Cifar10.classNames(extracted);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
