package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.data.NpyBytes.npy;

/**
 * Seeded mutations of a small {@code .npz} built here (truncations, bit flips, header lies, huge dimensions, byte
 * orders, dtypes, zip directory lies and zip bombs): each must load or be refused in one line naming the file, within
 * a time limit and a memory budget; any other exception, a timeout or more memory fails the test. The counts per
 * mutation and outcome are printed.
 */
class NpzFuzzTest {
    private static final long SEED = 22;
    private static final Duration PER_CASE = Duration.ofSeconds(10);
    /** Far above what the small seed needs, far below what a bomb or a huge shape would take if it were believed. */
    private static final long MEMORY_BUDGET = 64L << 20;

    private record Case(String mutation, String label, byte[] bytes) {
    }

    private enum Outcome { LOADED, REFUSED }

    @Test
    void everyMutationLoadsOrIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        List<Case> cases = cases(new Random(SEED));
        Map<String, int[]> counts = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long mostMemory = 0;
        long start = System.nanoTime();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Path file = Files.write(dir.resolve("case-" + i + ".npz"), c.bytes());
            MemoryUse memory = MemoryUse.start();
            try {
                Outcome outcome = assertTimeoutPreemptively(PER_CASE, () -> attempt(file));
                counts.computeIfAbsent(c.mutation(), k -> new int[2])[outcome.ordinal()]++;
                long used = memory.bytes();
                mostMemory = Math.max(mostMemory, used);
                if (used > MEMORY_BUDGET) {
                    failures.add(c.mutation() + " " + c.label() + ": took " + used + " bytes");
                }
            } catch (Throwable e) {
                failures.add(c.mutation() + " " + c.label() + ": " + e);
            }
            Files.delete(file);
        }
        int loaded = counts.values().stream().mapToInt(n -> n[0]).sum();
        int refused = counts.values().stream().mapToInt(n -> n[1]).sum();
        StringBuilder summary = new StringBuilder(String.format("NpzFuzzTest (seed %d): %d cases in %.1f s: %d loaded, %d refused in one line, "
                + "%d failed; most memory one case took: %.1f MiB%n", SEED, cases.size(), (System.nanoTime() - start) / 1e9, loaded, refused,
                failures.size(), mostMemory / 1048576.0));
        counts.forEach((mutation, n) -> summary.append(String.format("  %-16s %4d loaded %4d refused%n", mutation, n[0], n[1])));
        System.out.print(summary);
        assertTrue(failures.isEmpty(), failures.size() + " cases ended otherwise:\n" + String.join("\n", failures));
    }

    private static Outcome attempt(Path file) {
        try {
            NpzReader.read(file);
            return Outcome.LOADED;
        } catch (DataException | IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.startsWith(file.toString()) || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("not one line naming the file: " + message, e);
            }
            return Outcome.REFUSED;
        }
    }

    /** The seed's arrays: a stored float32 weight, a deflated big-endian float64 bias, a stored Fortran-order half, a deflated int scalar. */
    private static List<ZipBytes.Entry> seedEntries() {
        float[] weight = new float[4 * 3 * 2 * 2];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = i * 0.25f - 3;
        }
        return List.of(
                ZipBytes.stored("conv.weight.npy", npy("<f4", false, "(4, 3, 2, 2)", NpyBytes.floats(LITTLE_ENDIAN, weight))),
                ZipBytes.deflated("conv.bias.npy", npy(">f8", false, "(4,)", NpyBytes.doubles(BIG_ENDIAN, 0.5, -1, 2, 1e-3))),
                ZipBytes.stored("half.npy", npy("<f2", true, "(2, 3)", NpyBytes.halves(LITTLE_ENDIAN, 0x3C00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600))),
                ZipBytes.deflated("count.npy", npy("<i4", false, "()", NpyBytes.ints(LITTLE_ENDIAN, 7))));
    }

    /** The same arrays as {@code java.util.zip} writes them (as PyTorchStateDict.writeNpz does): data descriptors after each entry. */
    private static byte[] seedFromZipOutputStream() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (ZipBytes.Entry e : seedEntries()) {
                zip.putNextEntry(new ZipEntry(e.name()));
                zip.write(e.method() == ZipBytes.STORED ? e.content() : inflated(e));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] inflated(ZipBytes.Entry e) {
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(e.content()), new Inflater(true))) {
            return in.readAllBytes();
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
    }

    private static List<Case> cases(Random random) throws IOException {
        List<Case> cases = new ArrayList<>();
        List<ZipBytes.Entry> seed = seedEntries();
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("ours", ZipBytes.zip(seed.toArray(ZipBytes.Entry[]::new)));
        seeds.put("ZipOutputStream", seedFromZipOutputStream());
        seeds.forEach((name, bytes) -> cases.add(new Case("seed", name, bytes)));
        seeds.forEach((name, bytes) -> {
            for (int i = 0; i < 40; i++) {
                int length = random.nextInt(bytes.length);
                cases.add(new Case("truncation", name + " to " + length, Arrays.copyOf(bytes, length)));
            }
            for (int i = 0; i < 400; i++) {
                byte[] flipped = bytes.clone();
                StringBuilder label = new StringBuilder(name + " bits");
                for (int f = 1 + random.nextInt(4); f > 0; f--) {
                    int bit = random.nextInt(flipped.length * 8);
                    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                    label.append(' ').append(bit);
                }
                cases.add(new Case("bit flip", label.toString(), flipped));
            }
            byte[] extremes = {0, (byte) 0xFF, 0x7F, (byte) 0x80};
            for (int i = 0; i < 100; i++) {
                byte[] set = bytes.clone();
                int at = random.nextInt(set.length);
                set[at] = extremes[random.nextInt(extremes.length)];
                cases.add(new Case("byte set", name + " byte " + at + "=" + set[at], set));
            }
        });
        headerLies(random, seed, cases);
        hugeDimensions(seed, cases);
        byteOrdersAndDtypes(seed, cases);
        zipLies(seed, cases);
        return cases;
    }

    /** The seed with its first entry's .npy bytes replaced (stored, so that the lie reaches the reader as written). */
    private static byte[] withFirst(List<ZipBytes.Entry> seed, byte[] npyBytes) {
        List<ZipBytes.Entry> entries = new ArrayList<>(seed);
        entries.set(0, ZipBytes.stored(seed.get(0).name(), npyBytes));
        return ZipBytes.zip(entries.toArray(ZipBytes.Entry[]::new));
    }

    private static void headerLies(Random random, List<ZipBytes.Entry> seed, List<Case> cases) {
        byte[] good = seed.get(0).content();
        int headerLength = (good[8] & 0xFF) | (good[9] & 0xFF) << 8;
        int[] claims = {0, 1, 10, headerLength - 1, headerLength + 1, headerLength + 4, good.length, 65535, random.nextInt(65536)};
        for (int claim : claims) {
            cases.add(new Case("header length", "claims " + claim, withFirst(seed, NpyBytes.withHeaderLength(good, claim))));
        }
        int[][] versions = {{0, 0}, {1, 1}, {2, 0}, {3, 0}, {4, 0}, {255, 255}};
        for (int[] v : versions) {
            byte[] changed = good.clone();
            changed[6] = (byte) v[0];
            changed[7] = (byte) v[1];
            cases.add(new Case("version", v[0] + "." + v[1], withFirst(seed, changed)));
        }
        String dictionary = NpyBytes.dictionary("<f4", false, "(4, 3, 2, 2)");
        byte[] data = Arrays.copyOfRange(good, 10 + headerLength, good.length);
        String alphabet = "{}()[]',:-0123456789 \nTFLx\\\"";
        for (int i = 0; i < 200; i++) {
            char[] text = dictionary.toCharArray();
            int at = random.nextInt(text.length);
            text[at] = alphabet.charAt(random.nextInt(alphabet.length()));
            cases.add(new Case("dictionary", "char " + at + "='" + text[at] + "'", withFirst(seed, npy(1, new String(text), data))));
        }
        for (int i = 0; i < 20; i++) {
            int cut = random.nextInt(dictionary.length());
            cases.add(new Case("dictionary", "cut at " + cut, withFirst(seed, npy(1, dictionary.substring(0, cut), data))));
        }
        for (int delta : new int[]{-48 * 4, -5, -4, -1, 1, 4, 1000}) {
            byte[] resized = Arrays.copyOf(data, Math.max(0, data.length + delta));
            cases.add(new Case("data length", (delta > 0 ? "+" : "") + delta, withFirst(seed, npy("<f4", false, "(4, 3, 2, 2)", resized))));
        }
    }

    private static void hugeDimensions(List<ZipBytes.Entry> seed, List<Case> cases) {
        String[] shapes = {"(2147483648,)", "(4611686018427387904, 4)", "(9223372036854775807,)", "(9223372036854775808,)", "(-1,)",
                "(4, -3, 2, 2)", "(0,)", "(0, 100000000000)", "(100000, 100000, 3, 3)", "(536870912,)", "(" + "1, ".repeat(33) + ")",
                "(" + "1, ".repeat(32) + ")", "(3,)", "(48, 1)", "(1, 1, 1, 48)", "(49,)", "(True,)", "('4',)", "[4, 3, 2, 2]", "4"};
        byte[] data = NpyBytes.floats(LITTLE_ENDIAN, new float[48]);
        for (String shape : shapes) {
            cases.add(new Case("huge dimension", shape, withFirst(seed, npy("<f4", false, shape, data))));
        }
    }

    private static void byteOrdersAndDtypes(List<ZipBytes.Entry> seed, List<Case> cases) {
        for (String type : new String[]{"f2", "f4", "f8", "i4", "i8"}) {
            int itemBytes = Integer.parseInt(type.substring(1));
            for (String order : new String[]{"<", ">", "=", "|", ""}) {
                cases.add(new Case("byte order", order + type, withFirst(seed, npy(order + type, false, "(4, 3, 2, 2)", new byte[48 * itemBytes]))));
            }
        }
        String[] descrs = {"|O", "|O8", "<c8", "<c16", ">c8", "<U10", ">U1", "|S5", "|a3", "|V8", "<M8[ns]", "<m8[s]", "|b1", "|u1", "|i1",
                "<i2", "<u2", "<u4", "<u8", "<f16", "<f12", "<f", "", "<", "<f4 ", "f", "\u00e9f4"};
        for (String descr : descrs) {
            cases.add(new Case("dtype", "'" + descr + "'", withFirst(seed, npy(descr, false, "(4, 3, 2, 2)", new byte[48 * 4]))));
        }
        String structured = "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (24,), }";
        cases.add(new Case("dtype", "structured", withFirst(seed, npy(1, structured, new byte[48 * 4]))));
        for (String fortran : new String[]{"1", "'True'", "None", "()"}) {
            String dictionary = "{'descr': '<f4', 'fortran_order': " + fortran + ", 'shape': (48,), }";
            cases.add(new Case("dtype", "fortran_order " + fortran, withFirst(seed, npy(1, dictionary, new byte[48 * 4]))));
        }
    }

    private static void zipLies(List<ZipBytes.Entry> seed, List<Case> cases) {
        ZipBytes.Entry first = seed.get(0);
        ZipBytes.Entry deflated = seed.get(1);
        for (long claim : new long[]{0, 1, first.content().length - 1, first.content().length + 1, 0xFFFFFFFFL, 3L << 30}) {
            cases.add(new Case("zip directory", "stored claims " + claim, zip(first.claimingSize(claim))));
            cases.add(new Case("zip directory", "deflated claims " + claim, zip(deflated.claimingSize(claim))));
        }
        cases.add(new Case("zip directory", "duplicate entry", zip(first, deflated, first)));
        cases.add(new Case("zip directory", "newline in a name", zip(first.named("a\nb\r.npy"))));
        cases.add(new Case("zip directory", "long name", zip(first.named("x".repeat(5000) + ".npy"))));
        cases.add(new Case("zip directory", "slip name", zip(first.named("../../etc/passwd.npy"))));
        cases.add(new Case("zip directory", "no arrays", zip(ZipBytes.stored("readme.txt", "hi".getBytes(StandardCharsets.US_ASCII)))));
        cases.add(new Case("zip directory", "empty", zip()));
        cases.add(new Case("zip directory", "folder named .npy", zip(ZipBytes.stored("d.npy/", new byte[0]))));
        cases.add(new Case("zip directory", "unknown method", zip(new ZipBytes.Entry(first.name(), 99, first.content(),
                first.claimedSize(), first.crc()))));

        int mebibytes = 3 * 1024;
        byte[] honest = npy("<f4", false, "(" + (mebibytes * 262_144L) + ",)", new byte[0]);
        byte[] small = npy("<f4", false, "(4,)", new byte[0]);
        byte[] withinLimit = npy("<f4", false, "(536870911,)", new byte[0]);
        ZipBytes.Entry bomb = ZipBytes.zeroBomb("bomb.npy", honest, mebibytes);
        cases.add(new Case("zip bomb", "3 GiB, honest", zip(bomb)));
        cases.add(new Case("zip bomb", "3 GiB, directory claims 1 KiB", zip(bomb.claimingSize(1024))));
        cases.add(new Case("zip bomb", "3 GiB behind a 16-byte header and directory",
                zip(ZipBytes.zeroBomb("bomb.npy", small, mebibytes).claimingSize(small.length + 16))));
        cases.add(new Case("zip bomb", "3 GiB behind a 2 GiB header, directory claims 1 KiB",
                zip(ZipBytes.zeroBomb("bomb.npy", withinLimit, mebibytes).claimingSize(1024))));
        byte[] half = npy("<f4", false, "(" + (1536 * 262_144L) + ",)", new byte[0]);
        ZipBytes.Entry halfBomb = ZipBytes.zeroBomb("a.npy", half, 1536);
        cases.add(new Case("zip bomb", "three honest 1.5 GiB entries", zip(halfBomb, halfBomb.named("b.npy"), halfBomb.named("c.npy"))));
    }

    private static byte[] zip(ZipBytes.Entry... entries) {
        return ZipBytes.zip(entries);
    }
}
