package org.xaiworkbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.DatasetLocator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.cli.CliRuns.withStderr;

/** evaluate --spark local[2] gives, value for value, what one JVM gives (SmoothGrad's and the metrics' draws included). */
class EvaluateSparkCommandTest {
    @TempDir
    static Path dir;
    static Path weights;

    @BeforeAll
    static void freshModel() throws Exception {
        weights = CliRuns.freshModel(dir.resolve("weights"));
        DatasetLocator.standard().batchDir();
    }

    private static List<String> args(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", weights.toString(), "--images", "6", "--chunk", "1",
                "--methods", "saliency,grad-cam,smoothgrad", "--background", "0", "--sensitivity-images", "2",
                "--randomization-images", "3", "--study-images", "0", "--bootstrap", "50", "--set", "deletion.steps=8",
                "--set", "insertion.steps=8", "--set", "infidelity.subsets=10", "--set", "faithfulness-correlation.subsets=10", "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static void run(List<String> args) {
        String[] err = new String[1];
        int code = withStderr(err, () -> Main.run(args.toArray(String[]::new)));
        assertEquals(0, code, err[0]);
    }

    @Test
    void sparkLocalModeWithThreePartitionsEqualsOneJvmValueForValue() throws Exception {
        Path single = dir.resolve("single");
        Path spark = dir.resolve("spark");
        run(args(single));
        run(args(spark, "--spark", "local[2]", "--partitions", "3"));
        for (String file : List.of("metrics.csv", "curves.csv")) {
            List<String> expected = Files.readAllLines(single.resolve(file));
            assertTrue(expected.size() > 6 * 6, file + " holds per-image values");
            assertEquals(expected, Files.readAllLines(spark.resolve(file)), file);
        }
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(single.resolve("summary.json").toFile()).get("verdict"),
                json.readTree(spark.resolve("summary.json").toFile()).get("verdict"));
        assertFalse(Files.exists(dir.resolve("spark.resume")), "the chunks go once the outputs are in place");
    }

    @Test
    void aSparkValueThatNamesNoMasterIsRefusedInOneLineBeforeAnythingRuns() {
        String[] err = new String[1];
        List<String> args = args(dir.resolve("no-master"), "--spark", "localhost");
        int code = withStderr(err, () -> Main.run(args.toArray(String[]::new)));
        assertEquals(2, code);
        assertTrue(err[0].strip().lines().count() == 1 && err[0].contains("--spark localhost"), err[0]);
        assertFalse(Files.exists(dir.resolve("no-master")) || Files.exists(dir.resolve("no-master.resume")));
    }

    @Test
    void sparkWithNpyIsRefusedInOneLine() {
        String[] err = new String[1];
        List<String> args = args(dir.resolve("refused"), "--spark", "local[1]", "--npy");
        int code = withStderr(err, () -> Main.run(args.toArray(String[]::new)));
        assertEquals(2, code);
        assertTrue(err[0].strip().lines().count() == 1 && err[0].contains("--npy") && err[0].contains("--spark"), err[0]);
        assertFalse(Files.exists(dir.resolve("refused")));
    }
}
