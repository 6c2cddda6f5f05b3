package org.xaiworkbench.model.io.dl4j;

import org.xaiworkbench.data.Nd4jBinaryArrays;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.DataException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutations of small DL4J zips built here (a MultiLayerNetwork and a ComputationGraph): truncations, bit flips
 * in configuration.json and coefficients.bin, header lies, huge dimensions, bombs and deserialization payloads. Every
 * case must end in a load or a one-line {@link DataException}, within a time and a memory budget.
 */
class Dl4jZipFuzzTest {
    private static final long SEED = 22;
    private static final long CASE_SECONDS = 20;
    /** Bytes a case may allocate on the Java heap in all, and hold in ND4J's memory at its end. */
    private static final long HEAP_BUDGET = 512L << 20;
    private static final long NATIVE_BUDGET = 64L << 20;

    private record Case(String family, String name, byte[] zip, boolean withUpdater) {
    }

    @Test
    void everyMutationLoadsOrFailsInOneLine(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        byte[] network = Dl4jZips.write(Dl4jTestNetworks.smallMultiLayer(4, false), true);
        byte[] graph = Dl4jZips.write(Dl4jTestNetworks.residualGraph(3, false), false);
        List<Case> cases = new ArrayList<>();
        for (byte[] base : List.of(network, graph)) {
            String kind = base == network ? "network" : "graph";
            cases.add(new Case("unchanged", kind, base, true));
            truncations(kind, base, random, cases);
            bitFlips(kind, base, random, cases);
            headerLies(kind, base, cases);
        }
        payloads(network, cases);
        bombsAndOddZips(network, graph, cases);

        Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        try {
            int index = 0;
            for (Case c : cases) {
                Path zip = dir.resolve("case-" + index++ + ".zip");
                Files.write(zip, c.zip());
                String outcome = run(worker, zip, c, failures);
                outcomes.computeIfAbsent(c.family(), f -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
                Files.delete(zip);
            }
        } finally {
            worker.shutdownNow();
        }
        Map<String, Integer> totals = new TreeMap<>();
        Map<String, Integer> errorKinds = new TreeMap<>();
        outcomes.values().forEach(counts -> counts.forEach((outcome, n) -> {
            totals.merge(outcome.startsWith("error") ? "one-line error" : outcome, n, Integer::sum);
            if (outcome.startsWith("error")) {
                errorKinds.merge(outcome.substring("error".length()), n, Integer::sum);
            }
        }));
        System.out.printf("Dl4jZipFuzzTest: %d cases in %.1f s, seed %d: %s%n", cases.size(), (System.nanoTime() - started) / 1e9, SEED, totals);
        outcomes.forEach((family, counts) -> {
            Map<String, Integer> byOutcome = new TreeMap<>();
            counts.forEach((outcome, n) -> byOutcome.merge(outcome.startsWith("error") ? "one-line error" : outcome, n, Integer::sum));
            System.out.printf("  %-20s %s%n", family, byOutcome);
        });
        System.out.println("  errors by kind:");
        errorKinds.forEach((kind, n) -> System.out.printf("  %5d  %s%n", n, kind));
        assertEquals(List.of(), failures);
        assertTrue(totals.getOrDefault("loaded", 0) >= 2, "the unchanged zips load");
    }

    /** "loaded", or "error" and the kind of error; a failure is recorded for anything else. */
    private static String run(ExecutorService worker, Path zip, Case c, List<String> failures) throws InterruptedException {
        List<String> warnings = new ArrayList<>();
        long[] heap = new long[1];
        long nativeBefore = Pointer.totalBytes();
        Future<Object> load = worker.submit(() -> {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                return Dl4jZipReader.read(zip, c.withUpdater(), warnings::add);
            } finally {
                heap[0] = threads.getCurrentThreadAllocatedBytes() - before;
            }
        });
        String label = c.family() + " / " + c.name();
        String outcome;
        try {
            load.get(CASE_SECONDS, TimeUnit.SECONDS);
            outcome = "loaded";
        } catch (TimeoutException e) {
            load.cancel(true);
            failures.add(label + ": no result after " + CASE_SECONDS + " s");
            return "hang";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = String.valueOf(cause.getMessage());
            if (!(cause instanceof DataException || cause instanceof IllegalArgumentException)) {
                failures.add(label + ": " + cause);
                return "other exception";
            }
            if (message.contains("\n") || message.contains("\r") || !message.startsWith(zip.toString())) {
                failures.add(label + ": not one line naming the file: " + message);
                return "bad message";
            }
            outcome = "error" + reason(message.substring(zip.toString().length()));
        }
        for (String warning : warnings) {
            if (warning.contains("\n") || warning.contains("\r")) {
                failures.add(label + ": a warning of several lines: " + warning);
            }
        }
        long nativeHeld = Pointer.totalBytes() - nativeBefore;
        if (heap[0] > HEAP_BUDGET || nativeHeld > NATIVE_BUDGET) {
            failures.add(label + ": allocated " + heap[0] + " bytes on the heap, holds " + nativeHeld + " native bytes");
        }
        return outcome;
    }

    /** The kind of an error: its message without the values that vary between cases. */
    private static String reason(String message) {
        String text = message.replaceAll("\\(.*", "").replaceAll("(?<![A-Za-z])-?\\d+(?![A-Za-z])", "N").replaceAll("\\[[^]]*]", "[..]")
                .replaceAll("'[^']*'", "'..'").replaceAll("\"[^\"]*\"", "\"..\"").strip();
        return text.length() <= 70 ? text : text.substring(0, 70);
    }

    private static void truncations(String kind, byte[] base, Random random, List<Case> cases) {
        for (int i = 0; i < 8; i++) {
            cases.add(new Case("truncated zip", kind, Arrays.copyOf(base, random.nextInt(base.length)), false));
        }
        for (String entry : List.of(Dl4jZipReader.CONFIGURATION, Dl4jZipReader.COEFFICIENTS)) {
            byte[] content = Dl4jZips.entries(base).get(entry);
            for (int i = 0; i < 8; i++) {
                int length = i == 0 ? 0 : random.nextInt(content.length);
                cases.add(new Case("truncated entry", kind + " " + entry + " at " + length,
                        Dl4jZips.with(base, entry, Arrays.copyOf(content, length)), false));
            }
        }
    }

    private static void bitFlips(String kind, byte[] base, Random random, List<Case> cases) {
        byte[] json = Dl4jZips.entries(base).get(Dl4jZipReader.CONFIGURATION);
        byte[] coefficients = Dl4jZips.entries(base).get(Dl4jZipReader.COEFFICIENTS);
        for (int i = 0; i < 30; i++) {
            cases.add(new Case("bit flips json", kind + " " + i, Dl4jZips.with(base, Dl4jZipReader.CONFIGURATION, flipped(json, json.length, random)), false));
        }
        for (int i = 0; i < 30; i++) {
            cases.add(new Case("bit flips header", kind + " " + i,
                    Dl4jZips.with(base, Dl4jZipReader.COEFFICIENTS, flipped(coefficients, 160, random)), false));
        }
        for (int i = 0; i < 10; i++) {
            cases.add(new Case("bit flips values", kind + " " + i,
                    Dl4jZips.with(base, Dl4jZipReader.COEFFICIENTS, flipped(coefficients, coefficients.length, random)), false));
        }
        for (int i = 0; i < 20; i++) {
            cases.add(new Case("bit flips zip", kind + " " + i, flipped(base, base.length, random), true));
        }
    }

    /** A copy with one to four bits flipped among the first {@code within} bytes. */
    private static byte[] flipped(byte[] bytes, int within, Random random) {
        byte[] copy = bytes.clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            copy[random.nextInt(Math.min(within, copy.length))] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private static void headerLies(String kind, byte[] base, List<Case> cases) throws IOException {
        long count = coefficientCount(base);
        long[][] shapes = {{1, count}, {1, Long.MAX_VALUE}, {100_000, 100_000, 3, 3}, {1, -count}, {-1, -count}, {1 << 20, 1 << 20},
                {1, Integer.MAX_VALUE}, {1, count + 1}, {1, count - 1}, {count}, {}, new long[40]};
        for (long[] shape : shapes) {
            cases.add(new Case("header lies", kind + " shape " + Arrays.toString(shape),
                    coefficients(base, "MIXED_DATA_TYPES", shape, shape.length, product(shape), "DOUBLE", count), false));
        }
        for (long length : new long[]{-1, 0, count - 1, count + 1, Long.MAX_VALUE, 1L << 40}) {
            cases.add(new Case("header lies", kind + " data length " + length,
                    coefficients(base, "MIXED_DATA_TYPES", new long[]{1, count}, 2, length, "DOUBLE", count), false));
        }
        for (long rank : new long[]{-1, 3, 1 << 30, Long.MIN_VALUE}) {
            cases.add(new Case("header lies", kind + " rank " + rank,
                    coefficients(base, "MIXED_DATA_TYPES", new long[]{1, count}, rank, count, "DOUBLE", count), false));
        }
        for (String type : new String[]{"FLOAT", "HALF", "UTF8", "COMPRESSED", "BOOL", "NOT_A_TYPE"}) {
            cases.add(new Case("header lies", kind + " type " + type,
                    coefficients(base, "MIXED_DATA_TYPES", new long[]{1, count}, 2, count, type, count), false));
        }
        for (String mode : new String[]{"HEAP", "NO_SUCH_MODE", ""}) {
            cases.add(new Case("header lies", kind + " mode '" + mode + "'",
                    coefficients(base, mode, new long[]{1, count}, 2, count, "DOUBLE", count), false));
        }
    }

    private static long product(long[] shape) {
        long product = 1;
        for (long dimension : shape) {
            product *= dimension;
        }
        return product;
    }

    private static long coefficientCount(byte[] zip) {
        return Nd4jBinaryArrays.read(ByteBuffer.wrap(Dl4jZips.entries(zip).get(Dl4jZipReader.COEFFICIENTS)), "base").length();
    }

    /** The zip with coefficients.bin replaced by the given header over {@code values} zero doubles. */
    private static byte[] coefficients(byte[] base, String mode, long[] shape, long rank, long length, String type, long values)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(mode);
        out.writeLong(2L * shape.length + 4);
        out.writeUTF("LONG");
        out.writeLong(rank);
        for (long dimension : shape) {
            out.writeLong(dimension);
        }
        for (long ignored : shape) {
            out.writeLong(1);
        }
        out.writeLong(0);
        out.writeLong(1);
        out.writeLong('c');
        out.writeUTF(mode);
        out.writeLong(length);
        out.writeUTF(type);
        for (long i = 0; i < values; i++) {
            out.writeDouble(0);
        }
        out.flush();
        return Dl4jZips.with(base, Dl4jZipReader.COEFFICIENTS, bytes.toByteArray());
    }

    private static void payloads(byte[] network, List<Case> cases) {
        for (String entry : List.of("preprocessor.bin", "normalizer.bin", "evil.bin")) {
            cases.add(new Case("serialized objects", entry + " nested hash sets", Dl4jZips.with(network, entry, HostilePayloads.nestedHashSets(100)), false));
            cases.add(new Case("serialized objects", entry + " marker", Dl4jZips.with(network, entry, HostilePayloads.marker()), false));
        }
        cases.add(new Case("serialized objects", "updater state as nested hash sets",
                Dl4jZips.with(network, Dl4jZipReader.UPDATER_STATE, HostilePayloads.nestedHashSets(100)), true));
        cases.add(new Case("serialized objects", "coefficients as a marker",
                Dl4jZips.with(network, Dl4jZipReader.COEFFICIENTS, HostilePayloads.marker()), false));
    }

    private static void bombsAndOddZips(byte[] network, byte[] graph, List<Case> cases) {
        cases.add(new Case("bombs", "32 MB configuration of spaces", Dl4jZips.with(network, Dl4jZipReader.CONFIGURATION,
                " ".repeat(32 << 20).getBytes(StandardCharsets.US_ASCII)), false));
        cases.add(new Case("bombs", "configuration nested 200000 deep", Dl4jZips.with(network, Dl4jZipReader.CONFIGURATION,
                "[".repeat(200_000).getBytes(StandardCharsets.US_ASCII)), false));
        String json = new String(Dl4jZips.entries(network).get(Dl4jZipReader.CONFIGURATION), StandardCharsets.UTF_8);
        cases.add(new Case("bombs", "nOut 2^40", Dl4jZips.with(network, Dl4jZipReader.CONFIGURATION,
                json.replaceFirst("\"nout\" : \\d+", "\"nout\" : 1099511627776").getBytes(StandardCharsets.UTF_8)), false));
        cases.add(new Case("bombs", "kernel 100000", Dl4jZips.with(network, Dl4jZipReader.CONFIGURATION,
                json.replaceFirst("\"kernelSize\" : \\[ \\d+, \\d+ ]", "\"kernelSize\" : [ 100000, 100000 ]").getBytes(StandardCharsets.UTF_8)), false));

        Map<String, byte[]> swapped = Dl4jZips.entries(network);
        swapped.put(Dl4jZipReader.COEFFICIENTS, Dl4jZips.entries(graph).get(Dl4jZipReader.COEFFICIENTS));
        cases.add(new Case("odd zips", "graph coefficients in the network", Dl4jZips.zip(swapped), false));
        Map<String, byte[]> many = Dl4jZips.entries(network);
        for (int i = 0; i < 100; i++) {
            many.put("extra-" + i, new byte[0]);
        }
        cases.add(new Case("odd zips", "100 extra entries", Dl4jZips.zip(many), false));
        cases.add(new Case("odd zips", "entry named with control characters", Dl4jZips.with(network, "a\u001b[2J\nb", new byte[1]), false));
        cases.add(new Case("odd zips", "no coefficients", Dl4jZips.zip(Map.of(Dl4jZipReader.CONFIGURATION,
                Dl4jZips.entries(network).get(Dl4jZipReader.CONFIGURATION))), false));
        byte[] duplicate = network.clone();
        replaceAll(duplicate, Dl4jZipReader.UPDATER_STATE, Dl4jZipReader.COEFFICIENTS);
        cases.add(new Case("odd zips", "two coefficients entries", duplicate, true));
        cases.add(new Case("odd zips", "empty file", new byte[0], false));
        cases.add(new Case("odd zips", "text", "not a zip\n".getBytes(StandardCharsets.US_ASCII), false));
    }

    /** Renames entries in place: both names have 16 bytes, so headers and offsets stay valid. */
    private static void replaceAll(byte[] bytes, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.US_ASCII);
        byte[] b = to.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + a.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, bytes, i, b.length);
            }
        }
    }
}
