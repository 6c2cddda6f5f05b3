package org.xaiworkbench.cli;

import org.xaiworkbench.explain.ExplanationRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xaiworkbench.viz.ExplanationFigures;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.Vgg13Network;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xaiworkbench.cli.CliRuns.withStderr;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ExplainCommandTest {
    @TempDir
    static Path dir;

    static Path weights;
    static Path inputs;

    @BeforeAll
    static void freshModelAndOnePicture() throws Exception {
        weights = dir.resolve("weights");
        CliRuns.freshModel(weights);
        inputs = dir.resolve("inputs");
        Files.createDirectories(inputs);
        BufferedImage picture = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(new Color(30, 90, 160));
        g.fillRect(0, 0, 80, 60);
        g.setColor(new Color(220, 200, 40));
        g.fillOval(20, 10, 40, 40);
        g.dispose();
        ImageIO.write(picture, "png", inputs.resolve("sun.png").toFile());
        Files.writeString(inputs.resolve("broken.jpg"), "not a jpeg");
    }

    /** The occlusion comparison's 4/8/12 px windows at stride 4 on 32 px are 28/56/84 at stride 28 on 224 px. */
    @Test
    void occlusionComparisonWindowsScaleWithTheSide() {
        assertEquals(List.of(28, 56, 84, 28), List.of(Occlusion.scaledToSide(4, 224), Occlusion.scaledToSide(8, 224),
                Occlusion.scaledToSide(12, 224), Occlusion.scaledToSide(ExplanationRun.OCCLUSION_STRIDE, 224)));
        assertEquals(List.of(4, 8, 12), Arrays.stream(ExplanationRun.OCCLUSION_WINDOWS).map(w -> Occlusion.scaledToSide(w, 32)).boxed().toList());
        assertEquals(1, Occlusion.scaledToSide(4, 3), "never below one pixel");
    }

    @Test
    void writesEveryFigureAsValidPng() throws Exception {
        Path out = dir.resolve("out");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", weights.toString(),
                "--methods", "grad-cam,occlusion",
                "--per-class", "0", "--input", inputs.toString(), "--out", out.toString(), "--npy",
                "--layers", "conv_layers.12,conv_layers.14"));
        assertEquals(0, code, captured[0]);
        assertTrue(captured[0].contains("broken.jpg"), "the unreadable picture is named in a warning: " + captured[0]);
        List<Path> pngs;
        try (Stream<Path> walk = Files.walk(out)) {
            pngs = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        List<String> folders = pngs.stream().map(p -> p.getParent().getFileName().toString()).distinct().sorted().toList();
        assertEquals(List.of("all-methods", "grad-cam", "grad-cam-layers", "layer-saliency", "occlusion", "occlusion-grid"), folders);
        for (Path png : pngs) {
            BufferedImage read = ImageIO.read(png.toFile());
            assertNotNull(read, png + " is not a readable PNG");
            if (png.getFileName().toString().endsWith(".thumb.png")) {
                assertEquals(ExplanationFigures.CELL, read.getWidth(), "a thumbnail is one cell wide: " + png);
            } else {
                assertTrue(read.getWidth() > 128 && read.getHeight() > 128, png.toString());
            }
            assertTrue(png.getFileName().toString().startsWith("sun"), png.toString());
        }
        assertEquals(2, pngs.stream().filter(p -> p.getFileName().toString().endsWith(".thumb.png")).count(),
                "one thumbnail per method and image");
        try (Stream<Path> walk = Files.walk(out)) {
            assertEquals(2, walk.filter(p -> p.toString().endsWith(".npy")).count(), "one .npy per method and image");
        }

        ExplanationRun.Index index = ModelStore.JSON.readValue(out.resolve(ExplanationRun.INDEX_FILE).toFile(), ExplanationRun.Index.class);
        assertEquals(List.of("grad-cam", "occlusion"), index.methods());
        assertEquals(CliRuns.CLASSES, index.classNames());
        assertEquals(1, index.images().size());
        ExplanationRun.ExplainedImage sun = index.images().get(0);
        assertEquals("sun", sun.name());
        assertNull(sun.trueClass(), "a picture of your own has no true class");
        assertEquals(sun.predictedClass(), sun.targets().get(0).className());
        assertEquals(CliRuns.CLASSES.size(), sun.probabilities().length);
        double top = Arrays.stream(sun.probabilities()).max().orElseThrow();
        assertEquals(top, sun.probabilities()[CliRuns.CLASSES.indexOf(sun.predictedClass())], "the predicted class is the most probable");
        assertEquals(index.methods(), List.copyOf(sun.targets().get(0).figures().keySet()));
        List<Path> indexed = Stream.of(sun.figures(), sun.targets().get(0).figures(), sun.targets().get(0).thumbnails())
                .flatMap(figures -> figures.values().stream()).map(out::resolve).sorted().toList();
        assertEquals(pngs, indexed, "explained.json lists every figure written, by its path under --out");
    }

    @Test
    void picturesWhoseNamesClashAsFileNamesOrWithATestImageGetFiguresOfTheirOwn() throws Exception {
        Path clashing = dir.resolve("clashing");
        Files.createDirectories(clashing);
        for (String name : List.of("a<b.png", "a>b.png", "a?b.jpg", "A_B.png", "cifar0006.png", "x.png", "x.jpg")) {
            Files.copy(inputs.resolve("sun.png"), clashing.resolve("tmp.png"));
            BufferedImage picture = ImageIO.read(clashing.resolve("tmp.png").toFile());
            Files.delete(clashing.resolve("tmp.png"));
            ImageIO.write(picture, name.substring(name.lastIndexOf('.') + 1), clashing.resolve(name).toFile());
        }
        Path out = dir.resolve("clashing-out");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", weights.toString(), "--methods", "saliency",
                "--per-class", "1", "--background", "0", "--no-extra-figures", "--input", clashing.toString(), "--out", out.toString()));
        assertEquals(0, code, captured[0]);

        ExplanationRun.Index index = ModelStore.JSON.readValue(out.resolve(ExplanationRun.INDEX_FILE).toFile(), ExplanationRun.Index.class);
        assertEquals(10 + 7, index.images().size(), "every test image and every picture is explained");
        List<String> indexed = index.images().stream().flatMap(image -> Stream.concat(image.figures().values().stream(),
                image.targets().stream().flatMap(target -> Stream.concat(target.figures().values().stream(),
                        target.thumbnails().values().stream())))).toList();
        assertEquals(3 * 17, indexed.size(), "a comparison and a saliency figure and thumbnail per picture");
        assertEquals(indexed.size(), indexed.stream().map(f -> f.toLowerCase(java.util.Locale.ROOT)).distinct().count(),
                "no two figures share a file name, even ignoring case: " + indexed);
        try (Stream<Path> walk = Files.walk(out)) {
            assertEquals(indexed.size(), walk.filter(p -> p.toString().endsWith(".png")).count(), "each indexed figure is a file of its own");
        }
        assertTrue(index.images().stream().anyMatch(image -> image.name().equals("x.png"))
                && index.images().stream().anyMatch(image -> image.name().equals("x.jpg")), "x.png and x.jpg keep their extensions");
        List<String> warnings = captured[0].lines().filter(line -> line.startsWith("warning:")).toList();
        assertEquals(2, warnings.size(), "one line per clash: a_b (in any case) and cifar0006: " + captured[0]);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'a<b'") && w.contains("'a>b'") && w.contains("'a?b'")
                && w.contains("'A_B'")), captured[0]);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'cifar0006' as cifar0006-2")), captured[0]);
    }

    @Test
    void aRunKilledMidwayLeavesThePreviousRunWholeAndTheNextRunTidiesUp() throws Exception {
        Path parent = dir.resolve("killed");
        Path out = parent.resolve("explain");
        String[] captured = new String[1];
        assertEquals(0, withStderr(captured, () -> Main.run("explain", "--model", weights.toString(), "--methods", "saliency,grad-cam",
                "--per-class", "0", "--input", inputs.toString(), "--out", out.toString(), "--layers", "conv_layers.14")), captured[0]);
        Map<String, String> firstRun = contents(out);
        assertTrue(firstRun.containsKey(ExplanationRun.INDEX_FILE) && firstRun.size() > 5, firstRun.keySet().toString());

        Path many = dir.resolve("many");
        Files.createDirectories(many);
        for (int i = 0; i < 12; i++) {
            Files.copy(inputs.resolve("sun.png"), many.resolve("sun" + i + ".png"));
        }
        Thread.sleep(20);
        long started = System.currentTimeMillis();
        Path log = dir.resolve("killed.log");
        // another JVM, so that it can be killed as kill -9 would: no shutdown hook, no finally block runs
        Process second = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx2g", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "explain", "--model", weights.toString(),
                "--methods", "saliency,occlusion", "--per-class", "0", "--input", many.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 180_000;
            while (!anyFileNewerThan(parent, started)) {
                assertTrue(second.isAlive(), "the second run ended before writing anything: " + Files.readString(log));
                assertTrue(System.currentTimeMillis() < deadline, "the second run wrote nothing in 3 minutes: " + Files.readString(log));
                Thread.sleep(50);
            }
        } finally {
            second.destroyForcibly().waitFor();
        }
        assertEquals(firstRun, contents(out), "the folder holds exactly the first run, byte for byte");

        assertEquals(0, withStderr(captured, () -> Main.run("explain", "--model", weights.toString(), "--methods", "saliency",
                "--no-extra-figures", "--per-class", "0", "--input", inputs.toString(), "--out", out.toString())), captured[0]);
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(List.of(out), left.toList(), "what the killed run left beside the folder is gone");
        }
        ExplanationRun.Index index = ModelStore.JSON.readValue(out.resolve(ExplanationRun.INDEX_FILE).toFile(), ExplanationRun.Index.class);
        assertEquals(List.of("saliency"), index.methods());
        assertEquals(Set.of(ExplanationRun.INDEX_FILE, "saliency/sun_" + index.images().get(0).predictedClass() + ".png",
                "saliency/sun_" + index.images().get(0).predictedClass() + ".thumb.png", "all-methods/sun.png"), contents(out).keySet(), "a run replaces the whole folder: no figure of an earlier run is left");
    }

    @Test
    void aFullDiskIsOneLineNamingTheFileAndNoSpaceLeftAndNothingIsLeftHalfWritten() throws Exception {
        assumeTrue(canMountInUserNamespace(), "needs unshare -rm (unprivileged user namespaces) to mount a small tmpfs");
        Path mount = Files.createDirectories(dir.resolve("full-disk"));
        Path listing = dir.resolve("full-disk.listing");
        Path log = dir.resolve("full-disk.log");
        Path out = mount.resolve("explain");
        // a 64 KB file system of its own, visible to this one process and gone with it
        String script = "mount -t tmpfs -o size=64k none \"$1\" || exit 97; m=\"$1\"; l=\"$2\"; shift 2; \"$@\"; rc=$?; "
                + "ls -A \"$m\" > \"$l\"; exit $rc";
        Process run = new ProcessBuilder("unshare", "-rm", "sh", "-c", script, "sh", mount.toString(), listing.toString(),
                ProcessHandle.current().info().command().orElseThrow(), "-Xmx2g", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "explain", "--model", weights.toString(),
                "--methods", "saliency", "--per-class", "0", "--input", inputs.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(run.waitFor(180, java.util.concurrent.TimeUnit.SECONDS), "explain on a full disk ends");
        String output = Files.readString(log);
        assertEquals(2, run.exitValue(), output);
        List<String> errors = output.lines().filter(line -> line.startsWith("error:")).toList();
        assertEquals(1, errors.size(), output);
        assertTrue(errors.get(0).contains(mount.toString()) && errors.get(0).endsWith(": no space left on device"), errors.get(0));
        assertEquals("", Files.readString(listing).strip(), "nothing half-written is left on the full disk");
    }

    private static boolean canMountInUserNamespace() {
        try {
            Process probe = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
            return probe.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void aModelWhoseOutputsAreNanIsNamedInAWarningInTheIndexAndOnTheReport() throws Exception {
        Path nanWeights = dir.resolve("nan-weights");
        MultiLayerNetwork network = Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 7));
        // the output layer's last bias: a NaN there reaches the logits whatever the ReLUs before it do
        network.params().putScalar(network.numParams() - 1, Double.NaN);
        ModelCard card = new ModelCard("test", CliRuns.CLASSES, new double[]{0.49, 0.48, 0.45}, new double[]{0.25, 0.24, 0.26},
                1e-3, 0, 7, 0, 64, "none");
        ModelStore.save(network, card, nanWeights, false);
        Path outputs = dir.resolve("nan-outputs");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", nanWeights.toString(), "--methods", "saliency",
                "--no-extra-figures", "--per-class", "0", "--input", inputs.toString(), "--out", outputs.resolve("explain").toString()));
        assertEquals(0, code, captured[0]);
        List<String> warnings = captured[0].lines().filter(line -> line.startsWith("warning: the model's outputs")).toList();
        assertEquals(1, warnings.size(), captured[0]);
        assertTrue(warnings.get(0).contains("NaN or infinite for sun:"), warnings.get(0));
        ExplanationRun.Index index = ModelStore.JSON.readValue(outputs.resolve("explain").resolve(ExplanationRun.INDEX_FILE).toFile(),
                ExplanationRun.Index.class);
        assertEquals(List.of("sun"), index.nonFiniteOutputs());

        code = withStderr(captured, () -> Main.run("report", "--weights", nanWeights.toString(), "--outputs", outputs.toString(),
                "--out", outputs.resolve("report").toString()));
        assertEquals(0, code, captured[0]);
        assertTrue(Files.readString(outputs.resolve("report/index.html")).contains("the model&#39;s outputs were NaN or infinite for sun")
                || Files.readString(outputs.resolve("report/index.html")).contains("the model's outputs were NaN or infinite for sun"),
                "the page says so too");
    }

    /** Every file under {@code folder} by its path relative to it, with a digest of its bytes. */
    private static Map<String, String> contents(Path folder) throws Exception {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                digests.put(folder.relativize(file).toString().replace('\\', '/'), HexFormat.of().formatHex(digest));
            }
        }
        return digests;
    }

    private static boolean anyFileNewerThan(Path folder, long millis) throws Exception {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).anyMatch(file -> file.toFile().lastModified() > millis);
        } catch (java.io.UncheckedIOException e) {
            // a file the other run renamed or deleted while this one listed it: look again
            return false;
        }
    }

    @Test
    void missingWeightsIsOneLineErrorAndExitTwo() {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", dir.resolve("no-such-model").toString(),
                "--per-class", "0", "--input", inputs.toString(), "--out", dir.resolve("unused").toString()));
        assertEquals(2, code);
        String text = captured[0].strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("error: --model") && text.contains("no-such-model"), text);
        assertTrue(Files.notExists(dir.resolve("unused")), "nothing written on error");
    }

    @Test
    void badScoreIsRejected() {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", weights.toString(), "--score", "loss"));
        assertEquals(2, code);
        assertEquals("error: --score must be logit or probability, got 'loss'", captured[0].strip());
    }

    @Test
    void probabilityWithALogitOnlyMethodOrABadSetRefusesBeforeWritingAnything() {
        Path out = dir.resolve("refused");
        String[][] runs = {
                {"--score", "probability", "--methods", "saliency,deeplift"},
                {"--set", "integrated-gradients.steps=0", "--methods", "integrated-gradients"},
                {"--set", "occlusion.windowH=4", "--methods", "saliency"}};
        String[] expected = {"error: --score probability: deeplift explains logits only",
                "error: --set integrated-gradients.steps=0: integrated-gradients steps must be in 1..10000, got 0",
                "error: --set occlusion.windowH=4: occlusion is not among --methods"};
        for (int i = 0; i < runs.length; i++) {
            String[] captured = new String[1];
            List<String> args = new java.util.ArrayList<>(List.of("explain", "--model", weights.toString(), "--per-class", "0",
                    "--input", inputs.toString(), "--out", out.toString()));
            args.addAll(List.of(runs[i]));
            int code = withStderr(captured, () -> Main.run(args.toArray(String[]::new)));
            assertEquals(2, code, captured[0]);
            assertEquals(1, captured[0].strip().lines().filter(l -> l.startsWith("error:")).count(), captured[0]);
            assertTrue(captured[0].contains(expected[i]), captured[0]);
            assertTrue(Files.notExists(out), "nothing written: " + String.join(" ", runs[i]));
        }
    }

    @Test
    void probabilityAndSetReachTheMethodsAndTheIndex() throws Exception {
        Path out = dir.resolve("probability");
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", weights.toString(), "--per-class", "0",
                "--input", inputs.toString(), "--out", out.toString(), "--no-extra-figures", "--score", "probability",
                "--methods", "saliency,occlusion", "--set", "occlusion.windowH=4", "--set", "occlusion.windowW=4"));
        assertEquals(0, code, captured[0]);
        ExplanationRun.Index index = ModelStore.JSON.readValue(out.resolve(ExplanationRun.INDEX_FILE).toFile(), ExplanationRun.Index.class);
        assertEquals("probability", index.score());
        assertEquals(List.of("saliency", "occlusion"), index.methods());
        assertEquals(4, index.options().get("occlusion").get("windowH"));
        assertEquals(4, index.options().get("occlusion").get("windowW"));
        assertEquals(Occlusion.Options.defaults(32, 32).strideH(), index.options().get("occlusion").get("strideH"));
        assertEquals("probability", index.options().get("saliency").get("score"));
    }

    @Test
    void unknownMethodIsNamed() {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("explain", "--model", weights.toString(), "--methods", "grad-cam,magic"));
        assertEquals(2, code);
        assertTrue(captured[0].strip().startsWith("error: --methods: unknown method 'magic'"), captured[0]);
    }

    @Test
    void benchRejectsBadCounts() {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("bench-explain", "--model", weights.toString(), "--repeats", "0"));
        assertEquals(2, code);
        assertTrue(captured[0].strip().startsWith("error: --batch and --repeats must be > 0"), captured[0]);
        code = withStderr(captured, () -> Main.run("bench-explain", "--model", weights.toString(), "--warmup-seconds", "-1"));
        assertEquals(2, code);
        assertEquals("error: --warmup-seconds, --seconds and --jit-warmup-max-seconds must be in 0..3600, got -1.0, 3.0, 300.0", captured[0].strip());
        code = withStderr(captured, () -> Main.run("bench-explain", "--model", weights.toString(), "--seconds", "NaN"));
        assertEquals(2, code);
        assertEquals("error: --warmup-seconds, --seconds and --jit-warmup-max-seconds must be in 0..3600, got 3.0, NaN, 300.0", captured[0].strip());
        code = withStderr(captured, () -> Main.run("bench-explain", "--model", weights.toString(), "--seconds", "Infinity"));
        assertEquals(2, code);
        assertEquals("error: --warmup-seconds, --seconds and --jit-warmup-max-seconds must be in 0..3600, got 3.0, Infinity, 300.0", captured[0].strip());
        code = withStderr(captured, () -> Main.run("bench-explain", "--model", weights.toString(), "--jit-warmup-max-seconds", "4000"));
        assertEquals(2, code);
        assertEquals("error: --warmup-seconds, --seconds and --jit-warmup-max-seconds must be in 0..3600, got 3.0, 3.0, 4000.0", captured[0].strip());
    }

    @Test
    void trainingBenchRejectsBadCountsBeforeBuildingAnything() {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("bench", "--batch", "0"));
        assertEquals(2, code);
        assertTrue(captured[0].strip().startsWith("error: --batch and --iterations must be > 0"), captured[0]);
        code = withStderr(captured, () -> Main.run("bench", "--jit-warmup-max-seconds", "NaN"));
        assertEquals(2, code);
        assertTrue(captured[0].strip().startsWith("error: --jit-warmup-max-seconds must be in 0..3600"), captured[0]);
    }

    @Test
    void aMissingWeightsFolderIsNamedWithTheFlag(@TempDir Path empty) {
        Path missing = empty.resolve("no-such-run");
        String[] captured = new String[1];
        for (String command : List.of("explain", "cam-layers", "bench-explain", "bench-perturbation", "robustness", "evaluate")) {
            int code = withStderr(captured, () -> Main.run(command, "--model", missing.toString()));
            assertEquals(2, code, command);
            assertTrue(captured[0].strip().startsWith("error: --model " + missing + ": no such folder or file (run make train"),
                    command + ": " + captured[0]);
        }
    }

    @Test
    void camLayersRejectsBadCounts() {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("cam-layers", "--model", weights.toString(), "--images", "0"));
        assertEquals(2, code);
        assertEquals("error: --images must be in 1..10000 and --batch > 0, got 0, 100", captured[0].strip());
        code = withStderr(captured, () -> Main.run("cam-layers", "--model", weights.toString(), "--images", "10001"));
        assertEquals(2, code);
        assertEquals("error: --images must be in 1..10000 and --batch > 0, got 10001, 100", captured[0].strip());
        code = withStderr(captured, () -> Main.run("cam-layers", "--model", weights.toString(), "--batch", "0"));
        assertEquals(2, code);
        assertEquals("error: --images must be in 1..10000 and --batch > 0, got 1000, 0", captured[0].strip());
    }

    @Test
    void benchReportsTheMedianCall() {
        assertEquals(3.0, ExplainBenchCommand.median(List.of(9L, 1L, 3L)));
        assertEquals(2.5, ExplainBenchCommand.median(List.of(4L, 1L, 100L, 2L, 3L, 0L)));
    }
}
