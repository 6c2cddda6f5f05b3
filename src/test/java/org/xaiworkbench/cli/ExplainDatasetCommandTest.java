package org.xaiworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.DatasetLocator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.cli.CliRuns.withStderr;

/** explain-dataset: the maps of many images as .npy, the same on Spark as in one JVM, and a killed run resumed to the same files. */
class ExplainDatasetCommandTest {
    @TempDir
    static Path dir;
    static Path weights;

    @BeforeAll
    static void freshModel() throws Exception {
        weights = CliRuns.freshModel(dir.resolve("weights"));
        DatasetLocator.standard().batchDir();
    }

    private static List<String> args(Path out, int images, String... more) {
        List<String> args = new ArrayList<>(List.of("explain-dataset", "--model", weights.toString(), "--images", String.valueOf(images),
                "--chunk", "1", "--methods", "saliency,grad-cam,smoothgrad", "--background", "0", "--set", "smoothgrad.nSamples=40",
                "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static String run(List<String> args) {
        String[] err = new String[1];
        int code = withStderr(err, () -> Main.run(args.toArray(String[]::new)));
        assertEquals(0, code, err[0]);
        return err[0];
    }

    /** Every .npy under {@code out} by its relative path, with its bytes. */
    private static Map<String, String> maps(Path out) throws Exception {
        Map<String, String> maps = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path npy : walk.filter(p -> p.toString().endsWith(".npy")).toList()) {
                maps.put(out.relativize(npy).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(npy)));
            }
        }
        return maps;
    }

    @Test
    void sparkLocalModeWritesTheMapsOneJvmWrites() throws Exception {
        Path single = dir.resolve("single");
        Path spark = dir.resolve("spark");
        run(args(single, 4));
        run(args(spark, 4, "--spark", "local[2]", "--partitions", "3"));
        Map<String, String> expected = maps(single);
        assertEquals(3 * 4, expected.size(), "one map per method and image: " + expected.keySet());
        assertEquals(expected, maps(spark));
        JsonNode index = new ObjectMapper().readTree(single.resolve(ExplainDatasetCommand.INDEX_FILE).toFile());
        assertEquals(4, index.get("images").size());
        assertEquals("cifar0003", index.get("images").get(3).get("name").asText());
        assertEquals(List.of("saliency", "grad-cam", "smoothgrad"), new ObjectMapper().convertValue(index.get("methods"), List.class));
        assertFalse(Files.exists(dir.resolve("single.resume")), "the kept chunks go once the outputs are in place");
    }

    @Test
    void badFlagsFailWithOneLineAndWriteNothing() {
        for (List<String> bad : List.of(List.of("--images", "0"), List.of("--first", "9999"),
                List.of("--methods", "no-such-method"), List.of("--images-dir", dir.resolve("missing").toString()),
                List.of("--spark", "nonsense"), List.of("--spark", "local[0]"))) {
            List<String> args = new ArrayList<>(args(dir.resolve("bad"), 2));
            int given = args.indexOf(bad.get(0));
            if (given >= 0) {
                args.set(given + 1, bad.get(1));
            } else {
                args.addAll(bad);
            }
            String[] err = new String[1];
            assertEquals(2, withStderr(err, () -> Main.run(args.toArray(String[]::new))), bad.toString());
            assertEquals(1, err[0].strip().lines().count(), err[0]);
            assertTrue(err[0].contains(bad.get(0)), "names the flag: " + err[0]);
            assertFalse(Files.exists(dir.resolve("bad")) || Files.exists(dir.resolve("bad.resume")), "nothing written for " + bad);
        }
    }

    @Test
    void aKilledRunGoesOnWithResumeToTheFilesOfAnUninterruptedOne() throws Exception {
        Path whole = dir.resolve("whole");
        run(args(whole, 6));
        Path out = dir.resolve("killed");
        Path keeping = dir.resolve("killed.resume");
        Path log = dir.resolve("killed.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx2g",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args(out, 6));
        // another JVM, so that it can be killed as kill -9 would
        Process first = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 180_000;
            while (!Files.exists(keeping.resolve("maps-000001.done"))) {
                assertTrue(first.isAlive(), "the run ended before finishing two chunks: " + Files.readString(log));
                assertTrue(System.currentTimeMillis() < deadline, "no two chunks in 3 minutes: " + Files.readString(log));
                Thread.sleep(20);
            }
        } finally {
            first.destroyForcibly().waitFor();
        }
        assertFalse(Files.exists(out), "nothing in place before the run ends");

        String[] err = new String[1];
        List<String> other = args(out, 6, "--resume");
        other.set(other.indexOf("saliency,grad-cam,smoothgrad"), "saliency");
        assertEquals(2, withStderr(err, () -> Main.run(other.toArray(String[]::new))));
        assertTrue(err[0].contains("--resume") && err[0].contains("methods"), "a resume with other methods is refused: " + err[0]);

        String notes = run(args(out, 6, "--resume"));
        assertTrue(notes.matches("(?s).*explain-dataset: [2-6] of 6 chunks taken from the killed run.*"), notes);
        assertEquals(maps(whole), maps(out));
    }
}
