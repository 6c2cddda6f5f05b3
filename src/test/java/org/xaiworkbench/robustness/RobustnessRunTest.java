package org.xaiworkbench.robustness;

import org.xaiworkbench.data.OutputFiles;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.attack.AttackGoal;
import org.xaiworkbench.attack.LinearClassifier;
import org.xaiworkbench.attack.Pgd;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.model.io.ModelStore;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RobustnessRunTest {
    private static final LinearClassifier MODEL = LinearClassifier.random(10, 0.02, 3, 3, 32, 32);

    private static LabeledImages images(int n, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[n * LabeledImages.PIXELS];
        random.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10);
        }
        return new LabeledImages(pixels, labels);
    }

    private static long cleanCorrect(LabeledImages images) {
        return AccuracySweep.countCorrect(MODEL.logits(images.pixelTensor(0, images.size())), images.labels());
    }

    @Test
    void strengthZeroIsTheCleanAccuracyAndCountsAddUpOverBatches() {
        LabeledImages images = images(23, 1);
        INDArray gray = Nd4j.valueArrayOf(new long[]{1, 3, 32, 32}, 0.5f);
        int grayClass = MODEL.logits(gray).getRow(0).argMax().getInt(0);
        long labelledGray = Arrays.stream(images.labels()).filter(l -> l == grayClass).count();
        SweepSeries toGray = new SweepSeries("gray", "gray", "any", new double[]{0, 1}, 1, "any",
                (x, labels, strength, seed) -> Nd4j.valueArrayOf(x.shape(), 0.5f));
        for (int batch : new int[]{5, 23, 100}) {
            List<AccuracyCurve> curves = new AccuracySweep(MODEL, List.of(toGray), batch, 0).run(images, (d, c) -> { });
            AccuracyCurve curve = curves.get(0);
            assertEquals(23, curve.total());
            assertEquals(cleanCorrect(images), curve.correct()[0], "batch " + batch);
            assertEquals(labelledGray, curve.correct()[1], "batch " + batch);
        }
    }

    @Test
    void deterministicAttacksDoNotDependOnBatching() {
        LabeledImages images = images(17, 2);
        RobustnessConfig config = RobustnessConfig.defaults(Path.of("unused"), Path.of("unused"));
        SweepSeries fgsm = new RobustnessRun(MODEL, config, System.out).series().get(0);
        long[] byFour = new AccuracySweep(MODEL, List.of(fgsm), 4, 0).run(images, (d, c) -> { }).get(0).correct();
        long[] bySeventeen = new AccuracySweep(MODEL, List.of(fgsm), 17, 0).run(images, (d, c) -> { }).get(0).correct();
        assertEquals(Arrays.toString(byFour), Arrays.toString(bySeventeen));
    }

    @Test
    void aRunWritesCurvesPlotsFiguresAndItsRecord(@TempDir Path dir) throws Exception {
        LabeledImages images = images(30, 3);
        Path out = dir.resolve("robustness");
        Path figures = dir.resolve("figures");
        RobustnessConfig defaults = RobustnessConfig.defaults(out, figures);
        Pgd.Options threeSteps = new Pgd.Options(8.0 / 255, 2.0 / 255, 3, true, AttackGoal.UNTARGETED, false);
        RobustnessConfig config = new RobustnessConfig(out, figures, 12, 6, 7, defaults.epsilons(), threeSteps,
                defaults.dropoutRates(), defaults.noiseSigmas(), defaults.brightnessDeltas(), 2, 1, defaults.figureStrengths());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RobustnessReport report = new RobustnessRun(MODEL, config, new PrintStream(log, true)).run(images, "linear");

        assertEquals(12, report.images());
        long clean = cleanCorrect(images.range(0, 12));
        for (String id : List.of("fgsm", "pgd", "pd", "noise", "brightness")) {
            RobustnessReport.Curve curve = report.curve(id);
            assertEquals(clean, curve.correct()[0], id + " at strength 0");
            assertTrue(Files.size(out.resolve("accuracy-" + id + ".png")) > 0, id + " plot");
            for (int image : RobustnessRun.exampleImages(images.range(0, 12), 2)) {
                String name = image + "_class" + images.labels()[image] + ".png";
                assertTrue(Files.isRegularFile(figures.resolve(id).resolve(name)), id + "/" + name);
            }
        }
        assertTrue(Files.size(out.resolve(OutputFiles.ROBUSTNESS_SUMMARY_FIGURE)) > 0);
        List<String> csv = Files.readAllLines(out.resolve(RobustnessRun.CSV_FILE));
        assertEquals(1 + 2 * config.epsilons().length + config.dropoutRates().length + config.noiseSigmas().length
                + config.brightnessDeltas().length, csv.size());
        JsonNode json = ModelStore.JSON.readTree(out.resolve(OutputFiles.ROBUSTNESS).toFile());
        assertEquals(5, json.get("curves").size());
        assertEquals(7, json.get("config").get("seed").asInt());
        assertEquals(10, json.get("examples").size(), "two images for each of five perturbations");
        boolean explained = !report.explanationShifts().isEmpty();
        assertEquals(explained, Files.isDirectory(out.resolve(RobustnessRun.EXPLANATIONS_DIR)), report.explanationNote());
        try (var leftovers = Files.walk(dir)) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void examplesTakeTheFirstImageOfEachClassFirst() {
        LabeledImages images = new LabeledImages(new byte[6 * LabeledImages.PIXELS], new int[]{2, 2, 0, 1, 0, 2});
        assertEquals("[2, 3, 0, 1]", Arrays.toString(RobustnessRun.exampleImages(images, 4)));
        assertEquals("[2]", Arrays.toString(RobustnessRun.exampleImages(images, 1)));
    }

    @Test
    void badConfigurationNamesTheOption() {
        RobustnessConfig d = RobustnessConfig.defaults(Path.of("o"), Path.of("f"));
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class, () -> new RobustnessConfig(d.outDir(),
                d.figuresDir(), -1, d.batch(), 0, d.epsilons(), d.pgd(), d.dropoutRates(), d.noiseSigmas(),
                d.brightnessDeltas(), 1, 0, d.figureStrengths()));
        assertTrue(limit.getMessage().contains("--limit"), limit.getMessage());
        IllegalArgumentException eps = assertThrows(IllegalArgumentException.class, () -> new RobustnessConfig(d.outDir(),
                d.figuresDir(), 0, d.batch(), 0, new double[]{0, -0.1}, d.pgd(), d.dropoutRates(), d.noiseSigmas(),
                d.brightnessDeltas(), 1, 0, d.figureStrengths()));
        assertTrue(eps.getMessage().contains("--epsilons"), eps.getMessage());
    }
}
