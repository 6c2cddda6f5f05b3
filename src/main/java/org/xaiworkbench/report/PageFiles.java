package org.xaiworkbench.report;

import org.xaiworkbench.data.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files around the page: figures are copied into {@code assets/} beside it, so the page and that
 * folder can be moved, zipped or mailed together and still open offline; files are named in messages
 * relative to the project folder, as a user types them.
 */
final class PageFiles {
    static final String ASSETS = "assets";
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final Path projectDir;
    private final Path assetsDir;
    private final Map<Path, String> copied = new LinkedHashMap<>();
    private final Set<Path> written = new HashSet<>();

    /**
     * @param projectDir where the commands ran: relative paths in their files start here
     * @param pageDir    the folder of index.html
     */
    PageFiles(Path projectDir, Path pageDir) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.assetsDir = pageDir.toAbsolutePath().normalize().resolve(ASSETS);
    }

    /** A path written by a command (relative to where it ran, or absolute) as a file on this machine. */
    Path resolve(String recorded) {
        return projectDir.resolve(recorded).normalize();
    }

    /** {@code file} as a user would type it from the project folder. */
    String display(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(projectDir) ? projectDir.relativize(absolute).toString() : absolute.toString();
    }

    /**
     * {@code png} as a figure of {@code section}: copied beside the page, or, when it is missing or not a
     * PNG, a placeholder on the page and a warning naming the file and {@code command}, which writes it.
     */
    Figure figure(Path png, String caption, SectionDraft section, String command) throws IOException {
        String problem = !Files.isRegularFile(png) ? "missing figure " : isPng(png) ? null : "not a PNG image: ";
        if (problem != null) {
            section.warn(problem + display(png) + " (written by " + command + ")");
            return new Figure(null, display(png), caption);
        }
        return new Figure(copy(png), display(png), caption);
    }

    /** The figure when the file is there, else null: for figures that only some runs write. */
    Figure optionalFigure(Path png, String caption) throws IOException {
        return Files.isRegularFile(png) && isPng(png) ? new Figure(copy(png), display(png), caption) : null;
    }

    /** Deletes the files under assets/ that this build did not copy: figures of earlier runs that are gone. */
    void pruneOthers() throws IOException {
        if (!Files.isDirectory(assetsDir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(assetsDir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            if (Files.isRegularFile(p) && !written.contains(p)) {
                Files.delete(p);
            } else if (Files.isDirectory(p) && !p.equals(assetsDir)) {
                try (Stream<Path> left = Files.list(p)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** Copies {@code png} under assets/ (once per build) and returns its address relative to the page. */
    private String copy(Path png) throws IOException {
        Path source = png.toAbsolutePath().normalize();
        String known = copied.get(source);
        if (known != null) {
            return known;
        }
        String key = source.startsWith(projectDir) ? projectDir.relativize(source).toString().replace('\\', '/')
                // outside the project folder: one folder per source folder keeps equal file names apart
                : "external/" + Integer.toHexString(source.getParent().toString().hashCode()) + "/" + source.getFileName();
        Path target = assetsDir.resolve(key).normalize();
        AtomicFiles.write(target, temp -> Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING));
        StringBuilder address = new StringBuilder(ASSETS);
        for (String segment : key.split("/")) {
            address.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        copied.put(source, address.toString());
        written.add(target);
        return address.toString();
    }

    private static boolean isPng(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(PNG_SIGNATURE.length), PNG_SIGNATURE);
        }
    }
}
