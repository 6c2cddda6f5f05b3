package org.xaiworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.evaluate.MetricRegistry;
import org.xaiworkbench.explain.AttributionRegistry;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xaiworkbench.cli.CliRuns.withStderr;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** make evaluate from the command line, on a freshly initialised VGG13 and the first CIFAR-10 test images. */
class EvaluateCommandTest {
    @TempDir
    static Path dir;
    static Path weights;

    @BeforeAll
    static void freshModel() throws Exception {
        weights = dir.resolve("weights");
        CliRuns.freshModel(weights);
    }

    @Test
    void writesMetricsCurvesSummaryFiguresAndAttributions() throws Exception {
        DatasetLocator.standard().batchDir();
        Path out = dir.resolve("evaluate");
        String[] err = new String[1];
        int code = withStderr(err, () -> Main.run("evaluate", "--model", weights.toString(), "--images", "3", "--methods",
                "saliency,grad-cam", "--background", "0", "--sensitivity-images", "2", "--randomization-images", "1",
                "--study-images", "1", "--bootstrap", "50", "--set", "deletion.steps=8", "--set", "insertion.steps=8", "--set", "infidelity.subsets=10", "--set", "faithfulness-correlation.subsets=10", "--npy", "--out", out.toString(),
                "--set", "grad-cam.layer=conv_layers.12"));
        assertEquals(0, code, err[0]);
        assertFalse(Files.exists(dir.resolve("evaluate.resume")), "the finished chunks go once the outputs are in place");
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("image,label,target,method,control,metric,value", lines.get(0));
        int methods = 5;
        int everyImage = MetricRegistry.ids().size() - 3;
        assertEquals(1 + methods * (3 * everyImage + 2 + 1 + 1), lines.size(),
                "3 images for most metrics, 2 for max-sensitivity, 1 for the two randomization checks");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(MetricRegistry.ids(), iterable(summary.get("metrics").fieldNames()));
        assertFalse(summary.get("verdict").asText().isBlank());
        assertEquals(weights.toString(), summary.get("weights").asText());
        assertEquals("↑ higher is better", summary.get("metrics").get("insertion").get("better").asText());
        assertEquals("conv_layers.12", summary.get("method_options").get("grad-cam").get("layer").asText(), "--set reaches the method");
        assertEquals(8, summary.get("metric_options").get("deletion").get("steps").asInt(), "--set reaches the metric");
        assertEquals(10, summary.get("metric_options").get("faithfulness-correlation").get("subsets").asInt());
        assertFalse(summary.get("metric_options").has("insertion-minus-deletion"), "a metric without options of its own is not listed");
        assertTrue(Files.readAllLines(out.resolve("curves.csv")).size() > methods * 3 * 2 * 9, "deletion and insertion points");
        try (Stream<Path> npy = Files.walk(out.resolve("attributions"))) {
            assertEquals(methods * 3, npy.filter(p -> p.toString().endsWith(".npy")).count());
        }
        List<Path> pngs;
        try (Stream<Path> walk = Files.walk(out)) {
            pngs = walk.filter(p -> p.toString().endsWith(".png")).toList();
        }
        for (String expected : List.of("deletion-curves.png", "insertion-curves.png", "ranking-insertion-minus-deletion.png",
                "sanity-randomization-spearman.png", "cifar0000.png")) {
            assertTrue(pngs.stream().anyMatch(p -> p.getFileName().toString().equals(expected)), expected + " in " + pngs);
        }
        assertEquals(3, pngs.stream().filter(p -> p.getFileName().toString().equals("cifar0000.png")).count(),
                "SmoothGrad grid, top-3 and counterfactual");
        for (Path png : pngs) {
            assertNotNull(ImageIO.read(png.toFile()), png.toString());
        }
    }

    @Test
    void scoresTheDefaultMethodsWhenNoneAreNamedAndEveryRegisteredMethodWithAll() throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("", AttributionRegistry.evaluatedByDefault());
        expected.put("all", AttributionRegistry.ids());
        for (Map.Entry<String, List<String>> run : expected.entrySet()) {
            Path out = dir.resolve("methods-" + (run.getKey().isEmpty() ? "default" : run.getKey()));
            List<String> args = new ArrayList<>(List.of("evaluate", "--model", weights.toString(), "--images", "1",
                    "--sensitivity-images", "0", "--randomization-images", "0", "--study-images", "0", "--metrics", "sparseness",
                    "--no-controls", "--out", out.toString()));
            if (!run.getKey().isEmpty()) {
                args.addAll(List.of("--methods", run.getKey()));
            }
            String[] err = new String[1];
            int code = withStderr(err, () -> Main.run(args.toArray(String[]::new)));
            assertEquals(0, code, err[0]);
            JsonNode methods = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("methods");
            List<String> scored = new ArrayList<>();
            methods.forEach(m -> scored.add(m.asText()));
            assertEquals(run.getValue(), scored, "--methods " + run.getKey());
        }
    }

    @Test
    void theDefaultMethodsAreRegisteredAndAListIsTakenAsGiven() {
        List<String> defaults = AttributionRegistry.evaluatedByDefault();
        assertFalse(defaults.isEmpty());
        assertTrue(AttributionRegistry.ids().containsAll(defaults));
        assertTrue(defaults.size() < AttributionRegistry.ids().size(), "all is not the default");
        assertEquals(defaults, EvaluateCommand.choose(null, defaults, AttributionRegistry.ids(), "--methods"));
        assertEquals(AttributionRegistry.ids(), EvaluateCommand.choose(List.of(" all"), defaults, AttributionRegistry.ids(), "--methods"));
        assertEquals(List.of("rise", "saliency"), EvaluateCommand.choose(List.of("rise", " saliency"), defaults,
                AttributionRegistry.ids(), "--methods"));
        assertFalse(EvaluateCommand.namesEach(List.of("all")), "with all, a method that refuses the model is skipped");
        assertTrue(EvaluateCommand.namesEach(List.of("saliency")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateCommand.choose(List.of("all", "saliency"), defaults, AttributionRegistry.ids(), "--methods"));
        assertTrue(e.getMessage().startsWith("--methods"), e.getMessage());
    }

    @Test
    void badFlagsFailWithOneLineAndWriteNothing() {
        List<List<String>> cases = List.of(
                List.of("--set", "deletion.steps=0"),
                List.of("--set", "faithfulness-correlation.fraction=0.0001"),
                List.of("--metrics", "deletion,accuracy"),
                List.of("--methods", "magic"),
                List.of("--images", "0"),
                List.of("--set", "deletion.substrate=grey"),
                List.of("--box", "1,2,3"),
                List.of("--model", dir.resolve("missing").toString()),
                List.of("--set", "grad-cam.layer=conv_layers.99"),
                List.of("--methods", "saliency", "--set", "grad-cam.layer=conv_layers.12"),
                List.of("--resume", "--npy"));
        List<String> named = List.of("deletion.steps", "faithfulness-correlation", "--metrics", "--methods", "--images", "deletion.substrate",
                "--box", "--model",
                "--set", "--set", "--resume");
        for (int c = 0; c < cases.size(); c++) {
            Path out = dir.resolve("bad" + c);
            String[] err = new String[1];
            List<String> args = new ArrayList<>(List.of("evaluate", "--out", out.toString()));
            if (!cases.get(c).contains("--model")) {
                args.addAll(List.of("--model", weights.toString()));
            }
            args.addAll(cases.get(c));
            int code = withStderr(err, () -> Main.run(args.toArray(String[]::new)));
            assertEquals(2, code, cases.get(c) + ": " + err[0]);
            assertEquals(1, err[0].strip().lines().count(), err[0]);
            assertTrue(err[0].contains(named.get(c)), cases.get(c) + " should name " + named.get(c) + ": " + err[0]);
            assertFalse(Files.exists(out), "nothing written for " + cases.get(c));
        }
    }

    @Test
    void aResumeOfAnotherRunIsRefusedNamingWhatDiffers() throws Exception {
        Path out = dir.resolve("other");
        Path kept = dir.resolve("other.resume");
        Files.createDirectories(kept);
        Files.writeString(kept.resolve("run.json"), "{\"model\": \"another\", \"chunk\": \"10\"}");
        String[] err = new String[1];
        int code = withStderr(err, () -> Main.run("evaluate", "--model", weights.toString(), "--images", "1", "--methods", "saliency",
                "--background", "0", "--resume", "--out", out.toString()));
        assertEquals(2, code, err[0]);
        assertEquals(1, err[0].strip().lines().count(), err[0]);
        assertTrue(err[0].contains("--resume") && err[0].contains("model") && !err[0].contains("chunk,"), err[0]);
        assertFalse(Files.exists(out), "nothing written");
        assertTrue(Files.exists(kept.resolve("run.json")), "the kept run is left as it was");
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
