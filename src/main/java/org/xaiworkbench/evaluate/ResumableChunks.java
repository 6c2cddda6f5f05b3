package org.xaiworkbench.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.RunFolder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The finished chunks of an evaluation, one file each, written atomically as each chunk ends, in a
 * folder beside the run's output with the run's fingerprint (model, images, methods, metrics, settings):
 * a killed run goes on from them with {@code --resume}, and one whose fingerprint differs is refused.
 * Values are stored as the doubles they are, so a resumed run ends with the numbers of an uninterrupted one.
 */
public final class ResumableChunks implements Evaluation.ChunkStore {
    private static final String FINGERPRINT = "run.json";
    /** "XWC" and the format's version. */
    private static final int MAGIC = 0x58574301;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Consumer<String> notes;
    private int resumed;

    private ResumableChunks(Path dir, Consumer<String> notes) {
        this.dir = dir;
        this.notes = notes;
    }

    /**
     * The store in {@code dir} for a run of this fingerprint. With {@code resume}, an earlier run's chunks
     * are taken if its fingerprint is the same, and a different one is refused in one line naming what
     * differs; without it, whatever an earlier run left is discarded.
     *
     * @param fingerprint what makes two runs the same, by name ("model", "methods", ...)
     */
    public static ResumableChunks open(Path dir, Map<String, String> fingerprint, boolean resume, Consumer<String> notes)
            throws IOException {
        Path file = dir.resolve(FINGERPRINT);
        if (resume && Files.isRegularFile(file)) {
            Map<String, String> earlier = readFingerprint(file);
            List<String> differ = new ArrayList<>();
            for (String key : new TreeSet<>(union(earlier, fingerprint))) {
                if (!Objects.equals(earlier.get(key), fingerprint.get(key))) {
                    differ.add(key);
                }
            }
            if (!differ.isEmpty()) {
                throw new IllegalArgumentException("--resume: the run kept in " + dir + " was started with other " + String.join(", ", differ)
                        + "; run again without --resume to start afresh");
            }
            return new ResumableChunks(dir, notes);
        }
        if (resume) {
            notes.accept("evaluate: nothing to resume in " + dir + "; starting afresh");
        } else if (Files.exists(dir)) {
            notes.accept("evaluate: discarding the unfinished run kept in " + dir + " (--resume goes on from it)");
        }
        RunFolder.deleteTree(dir);
        Files.createDirectories(dir);
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new TreeMap<>(fingerprint)));
        return new ResumableChunks(dir, notes);
    }

    private static Set<String> union(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static Map<String, String> readFingerprint(Path file) throws IOException {
        try {
            Map<String, String> read = new LinkedHashMap<>();
            JSON.readTree(file.toFile()).fields().forEachRemaining(e -> read.put(e.getKey(), e.getValue().asText()));
            return read;
        } catch (IOException e) {
            throw new IllegalArgumentException("--resume: " + file + " is not a run's fingerprint (" + e.getMessage().lines().findFirst()
                    .orElse("unreadable") + "); run again without --resume to start afresh", e);
        }
    }

    /** Chunks taken from the earlier run so far. */
    public int resumed() {
        return resumed;
    }

    /** Whether chunk {@code index} was kept (whether it reads is for {@link #load} to find out). */
    public boolean holds(int index) {
        return Files.isRegularFile(chunkFile(index));
    }

    @Override
    public Evaluation.Chunk load(int index) {
        Path file = chunkFile(index);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            Evaluation.Chunk chunk = read(in);
            resumed++;
            return chunk;
        } catch (IOException | RuntimeException e) {
            notes.accept("evaluate: " + file + " is unreadable (" + e.getMessage() + "); its images are scored again");
            return null;
        }
    }

    @Override
    public void save(int index, Evaluation.Chunk chunk) {
        try {
            AtomicFiles.write(chunkFile(index), temp -> {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
                    write(chunk, out);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the folder, once the run's outputs are in place. */
    public void delete() throws IOException {
        RunFolder.deleteTree(dir);
    }

    private Path chunkFile(int index) {
        return dir.resolve(String.format(Locale.ROOT, "chunk-%06d.bin", index));
    }

    private static void write(Evaluation.Chunk chunk, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(chunk.rows().size());
        for (Evaluation.Row row : chunk.rows()) {
            out.writeInt(row.image());
            out.writeInt(row.label());
            out.writeInt(row.target());
            out.writeUTF(row.method());
            out.writeBoolean(row.control());
            out.writeUTF(row.metric());
            out.writeDouble(row.value());
        }
        out.writeInt(chunk.curves().size());
        for (CurvePoint point : chunk.curves()) {
            out.writeInt(point.image());
            out.writeUTF(point.method());
            out.writeUTF(point.curve());
            out.writeInt(point.step());
            out.writeDouble(point.x());
            out.writeBoolean(point.label() != null);
            if (point.label() != null) {
                out.writeUTF(point.label());
            }
            out.writeDouble(point.y());
        }
        writeNanos(chunk.methodNanos(), out);
        writeNanos(chunk.metricNanos(), out);
        out.writeLong(chunk.imagesScored());
    }

    private static Evaluation.Chunk read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a chunk of this version");
        }
        int rowCount = in.readInt();
        List<Evaluation.Row> rows = new ArrayList<>();
        for (int i = 0; i < rowCount; i++) {
            rows.add(new Evaluation.Row(in.readInt(), in.readInt(), in.readInt(), in.readUTF(), in.readBoolean(), in.readUTF(),
                    in.readDouble()));
        }
        int curveCount = in.readInt();
        List<CurvePoint> curves = new ArrayList<>();
        for (int i = 0; i < curveCount; i++) {
            int image = in.readInt();
            String method = in.readUTF();
            String curve = in.readUTF();
            int step = in.readInt();
            double x = in.readDouble();
            String label = in.readBoolean() ? in.readUTF() : null;
            curves.add(new CurvePoint(image, method, curve, step, x, label, in.readDouble()));
        }
        Map<String, Long> methodNanos = readNanos(in);
        Map<String, Long> metricNanos = readNanos(in);
        long imagesScored = in.readLong();
        if (in.read() != -1) {
            throw new IOException("trailing bytes");
        }
        return new Evaluation.Chunk(rows, curves, methodNanos, metricNanos, imagesScored);
    }

    private static void writeNanos(Map<String, Long> nanos, DataOutputStream out) throws IOException {
        out.writeInt(nanos.size());
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<String, Long> readNanos(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, Long> nanos = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            nanos.put(in.readUTF(), in.readLong());
        }
        return nanos;
    }
}
