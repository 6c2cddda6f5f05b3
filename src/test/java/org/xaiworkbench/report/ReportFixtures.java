package org.xaiworkbench.report;

import org.xaiworkbench.explain.ExplanationRun;
import org.xaiworkbench.viz.ExplanationFigures;
import org.xaiworkbench.cli.ExplainCommand;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.train.EpochStats;
import org.xaiworkbench.train.TrainConfig;
import org.xaiworkbench.train.TrainReport;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small stand-ins for what train, explain, evaluate, cam-layers and robustness write, laid out under
 * one project folder as the commands lay them out. Training and explain files are written through the
 * commands' own records, so a change of their format shows up here.
 */
final class ReportFixtures {
    static final List<String> CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    static final List<String> METHODS = List.of("saliency", "grad-cam", "occlusion");
    /** The explained images: name, true class (null: a picture of your own), predicted class. */
    static final List<String[]> EXPLAINED = List.of(
            new String[]{"cifar0000", "cat", "cat"},
            new String[]{"cifar0001", "ship", "airplane"},
            new String[]{"cifar0003", "airplane", "airplane"},
            new String[]{"sun", null, "airplane"});
    static final double BASE_TEST_ACCURACY = 0.7234;

    private ReportFixtures() {
    }

    /** Every command's outputs under {@code root}: weights/base, weights/l2 and outputs/. */
    static void everything(Path root) throws IOException {
        training(root.resolve("weights/base"), "base", 0, BASE_TEST_ACCURACY);
        training(root.resolve("weights/l2"), "l2", 1e-5, 0.7342);
        explain(root.resolve("outputs/explain"));
        evaluate(root.resolve("outputs/evaluate"));
        camLayers(root.resolve("outputs/cam-layers"));
        robustness(root, root.resolve("outputs/robustness"));
    }

    static void training(Path folder, String run, double l2, double testAccuracy) throws IOException {
        TrainConfig config = new TrainConfig(run, 2, 64, 1e-3, l2, 42, 5000, 0, 0, folder.resolve("../../outputs/checkpoints"),
                folder.getParent(), false);
        ModelCard card = new ModelCard(run, CLASSES, new double[]{0.49, 0.48, 0.45}, new double[]{0.25, 0.24, 0.26}, 1e-3, l2, 42,
                2, 64, "48c4a4eef643a6f46a70723f32080d1d2239a7e9a01e373bba3e2f3df66a631c");
        List<EpochStats> epochs = List.of(new EpochStats(1, 1.65, 0.38, 1.37, 0.49, 2345.6, 19.2),
                new EpochStats(2, 0.48, 0.8386, 0.85, 0.7316, 461.1, 97.6));
        double[] perClass = new double[CLASSES.size()];
        Arrays.fill(perClass, testAccuracy);
        long[][] confusion = new long[CLASSES.size()][CLASSES.size()];
        TrainReport report = new TrainReport(config, card, epochs, 0.88, testAccuracy, 0.72, 0.72, 0.72, perClass, perClass, perClass,
                confusion, "nd4j-native onednn-avx512 (HAVE_ONEDNN), threads 2", 7300.8, 86.5, "2026-02-01T08:00:00Z");
        Files.createDirectories(folder);
        ModelStore.JSON.writeValue(folder.resolve("metrics.json").toFile(), report);
        png(folder.resolve("confusion.png"), 300, 280, Color.WHITE);
        png(folder.resolve("curves.png"), 400, 200, Color.LIGHT_GRAY);
    }

    static void explain(Path dir) throws IOException {
        List<ExplanationRun.ExplainedImage> images = new ArrayList<>();
        for (String[] picture : EXPLAINED) {
            String name = picture[0];
            String predicted = picture[2];
            double[] probabilities = new double[CLASSES.size()];
            Arrays.fill(probabilities, 0.2 / (CLASSES.size() - 1));
            probabilities[CLASSES.indexOf(predicted)] = 0.8;
            Map<String, String> methodFigures = new LinkedHashMap<>();
            Map<String, String> thumbnails = new LinkedHashMap<>();
            for (String method : METHODS) {
                String path = method + "/" + name + "_" + predicted + ".png";
                png(dir.resolve(path), 240, 100, new Color(200, 60 + 50 * METHODS.indexOf(method), 40));
                methodFigures.put(method, path);
                String thumbnail = method + "/" + name + "_" + predicted + ".thumb.png";
                // drawn as explain draws it, so the page's tests see its colour scale
                org.xaiworkbench.viz.Figure.writePng(ExplanationFigures.thumbnail(
                        org.nd4j.linalg.factory.Nd4j.linspace(0, 1, 3 * 32 * 32).reshape(1, 3, 32, 32),
                        new ExplanationFigures.MapView(method, org.nd4j.linalg.factory.Nd4j.linspace(0, 1, 32 * 32).reshape(1, 1, 32, 32),
                                false)), dir.resolve(thumbnail));
                thumbnails.put(method, thumbnail);
            }
            Map<String, String> figures = new LinkedHashMap<>();
            for (String kind : List.of("all-methods", "grad-cam-layers", "layer-saliency", "occlusion-grid")) {
                String path = kind + "/" + name + (kind.equals("all-methods") ? "" : "_" + predicted) + ".png";
                // the all-methods strip is as wide as explain draws it for 34 methods: wider than any screen
                png(dir.resolve(path), kind.equals("all-methods") ? 2184 : 500, kind.equals("all-methods") ? 205 : 200, Color.GRAY);
                figures.put(kind, path);
            }
            images.add(new ExplanationRun.ExplainedImage(name, picture[1], predicted, probabilities,
                    List.of(new ExplanationRun.ExplainedClass(predicted, 0.8, methodFigures, thumbnails)), figures));
        }
        ExplanationRun.Index index = new ExplanationRun.Index("weights/base", "logit", CLASSES, METHODS, java.util.Map.of(), "2026-01-01T00:00:00Z", images);
        ModelStore.JSON.writeValue(dir.resolve(ExplanationRun.INDEX_FILE).toFile(), index);
    }

    static void evaluate(Path dir) throws IOException {
        List<String> methods = List.of("saliency", "grad-cam", "occlusion", "control-random");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("deletion", metric("lower", "↓ lower is better", "Deletion AUC of the target's probability.", methods,
                new double[]{0.30, 0.12, 0.10, 0.45}, new int[]{3, 1, 1, 4}));
        metrics.put("insertion", metric("higher", "↑ higher is better", "Insertion AUC.", methods,
                new double[]{0.50, 0.70, 0.72, 0.20}, new int[]{3, 1, 1, 4}));
        metrics.put("complexity", metric("descriptor", "descriptor, not ranked", "Entropy of the map.", methods,
                new double[]{0.9, 0.6, 0.7, 0.99}, new int[]{0, 0, 0, 0}));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("weights", "weights/base");
        summary.put("images", 6);
        summary.put("methods", methods);
        summary.put("seed", 0);
        summary.put("finished", "2026-01-01T00:00:00Z");
        summary.put("metrics", metrics);
        summary.put("verdict", "Trust grad-cam and occlusion on this model: they beat every control map on insertion − deletion "
                + "over 6 images. No better than a control map on insertion − deletion: saliency.");
        Files.createDirectories(dir);
        ModelStore.JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        for (String figure : List.of("deletion-curves", "insertion-curves", "ranking-deletion", "ranking-insertion")) {
            png(dir.resolve(figure + ".png"), 400, 250, Color.WHITE);
        }
        png(dir.resolve("study/smoothgrad-grid/cifar0000.png"), 300, 300, Color.PINK);
        png(dir.resolve("study/counterfactual/cifar0000.png"), 300, 150, Color.ORANGE);
    }

    private static Map<String, Object> metric(String direction, String better, String description, List<String> methods,
                                              double[] means, int[] ranks) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int m = 0; m < methods.size(); m++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("method", methods.get(m));
            row.put("mean", means[m]);
            row.put("ci95", List.of(means[m] - 0.02, means[m] + 0.02));
            row.put("rank", ranks[m]);
            rows.add(row);
        }
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("direction", direction);
        metric.put("better", better);
        metric.put("description", description);
        metric.put("images", 6);
        metric.put("seconds", 1.5);
        metric.put("methods", rows);
        return metric;
    }

    static void camLayers(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cam-layers.csv"), """
                method,layer,images,dark_share,lit_area
                grad-cam,conv_layers.0,100,0.0000,0.4941
                grad-cam-plus-plus,conv_layers.0,100,0.0000,0.6018
                grad-cam,conv_layers.1,100,0.1700,0.3842
                grad-cam-plus-plus,conv_layers.1,100,0.0000,1.0000
                grad-cam,conv_layers.14,100,0.0800,0.5460
                grad-cam-plus-plus,conv_layers.14,100,0.0000,1.0000
                """);
        Files.writeString(dir.resolve("cam-layers.json"), """
                {"weights": "weights/base", "images": 100, "finished": "2026-03-01T10:00:00Z"}
                """);
        png(dir.resolve("cam-layers.png"), 500, 220, Color.WHITE);
    }

    /** Per-image figures are recorded relative to {@code projectDir}, as make robustness records them. */
    static void robustness(Path projectDir, Path dir) throws IOException {
        List<Map<String, Object>> curves = List.of(
                curve("fgsm", "FGSM", "epsilon", new double[]{0, 4 / 255.0, 8 / 255.0}, new double[]{0.72, 0.13, 0.08}),
                curve("noise", "Gaussian noise", "sigma", new double[]{0, 0.1}, new double[]{0.72, 0.52}));
        List<Map<String, Object>> examples = new ArrayList<>();
        for (String series : List.of("fgsm", "noise")) {
            for (Object[] image : new Object[][]{{6, "airplane"}, {3, "automobile"}}) {
                String file = "outputs/" + series + "/" + image[0] + "_" + image[1] + ".png";
                png(projectDir.resolve(file), 400, 166, Color.LIGHT_GRAY);
                Map<String, Object> example = new LinkedHashMap<>();
                example.put("series", series);
                example.put("image", image[0]);
                example.put("trueClass", image[1]);
                example.put("strength", series.equals("fgsm") ? 8 / 255.0 : 0.1);
                example.put("classBefore", image[1]);
                example.put("probabilityBefore", 0.86);
                example.put("classAfter", "frog");
                example.put("probabilityAfter", 0.58);
                example.put("file", file);
                examples.add(example);
            }
        }
        List<Map<String, Object>> shifts = List.of(
                Map.of("image", 6, "method", "saliency", "cleanClass", 0, "adversarialClass", 1, "cosineSimilarity", 0.60),
                Map.of("image", 6, "method", "integrated-gradients", "cleanClass", 0, "adversarialClass", 1, "cosineSimilarity", 0.54),
                Map.of("image", 3, "method", "saliency", "cleanClass", 1, "adversarialClass", 1, "cosineSimilarity", 0.91));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", "weights/base");
        report.put("backend", "nd4j-native onednn-avx512 (HAVE_ONEDNN), threads 2");
        report.put("images", 300);
        report.put("seconds", 223.0);
        report.put("config", Map.of("limit", 300, "seed", 42));
        report.put("curves", curves);
        report.put("examples", examples);
        report.put("explanationShifts", shifts);
        report.put("explanationNote", "cosine similarity of |attribution| maps (channels summed)");
        Files.createDirectories(dir);
        ModelStore.JSON.writeValue(dir.resolve("robustness.json").toFile(), report);
        for (String plot : List.of("accuracy-fgsm", "accuracy-noise", "accuracy-summary")) {
            png(dir.resolve(plot + ".png"), 400, 250, Color.WHITE);
        }
        png(dir.resolve("explanations/6_airplane.png"), 400, 316, Color.GRAY);
        png(dir.resolve("explanations/3_automobile.png"), 400, 316, Color.GRAY);
    }

    private static Map<String, Object> curve(String id, String title, String strengthName, double[] strengths, double[] accuracy) {
        Map<String, Object> curve = new LinkedHashMap<>();
        curve.put("id", id);
        curve.put("title", title);
        curve.put("strengthName", strengthName);
        curve.put("strengths", strengths);
        curve.put("accuracy", accuracy);
        curve.put("correct", new long[strengths.length]);
        curve.put("total", 300);
        return curve;
    }

    /** A small PNG with a coloured block, so a page that draws it shows something. */
    static void png(Path file, int width, int height, Color color) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(color);
        g.fillRect(width / 8, height / 8, width * 3 / 4, height * 3 / 4);
        g.setColor(Color.DARK_GRAY);
        g.drawString(file.getFileName().toString(), 6, height - 6);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
