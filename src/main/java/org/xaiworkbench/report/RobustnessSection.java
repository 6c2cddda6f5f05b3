package org.xaiworkbench.report;

import org.xaiworkbench.data.OutputFiles;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Section 6: accuracy against strength for every attack and corruption, example images before and
 * after, and whether saliency and Integrated Gradients moved when PGD changed the prediction.
 */
final class RobustnessSection {
    static final String ID = "robustness";
    static final String TITLE = "Robustness";
    static final String COMMAND = "make robustness";
    static final String JSON_FILE = OutputFiles.ROBUSTNESS;

    record View(String model, String images, String duration, List<Curve> curves, Figure summaryPlot, List<Figure> curvePlots,
                List<ExampleGroup> examples, List<Shift> shifts, String shiftFinding, String shiftNote, List<Figure> shiftFigures) {
    }

    record Curve(String title, String strengthName, List<Point> points) {
    }

    record Point(String strength, String accuracy) {
    }

    /** The example images of one attack or corruption, at the strength the figures were drawn at. */
    record ExampleGroup(String title, String strength, String changed, List<Figure> figures) {
    }

    /** One image and method: the predicted class before and after the attack and how alike the two maps are. */
    record Shift(String image, String method, String before, String after, String moved, String cosine) {
    }

    private RobustnessSection() {
    }

    /** @param classNames the model's classes, naming the class numbers the explanation shifts record */
    static void fill(SectionDraft section, Path robustnessDir, List<String> classNames, PageFiles files) throws IOException {
        Path jsonFile = robustnessDir.resolve(JSON_FILE);
        if (!Files.isRegularFile(jsonFile)) {
            section.notRun(COMMAND, jsonFile);
            return;
        }
        View view;
        try {
            view = read(JsonInput.read(jsonFile), robustnessDir, classNames, files, section);
        } catch (MalformedInput e) {
            section.skipped(e, "section");
            return;
        }
        section.source(jsonFile);
        section.content(view);
    }

    private static View read(JsonInput.Node report, Path dir, List<String> classNames, PageFiles files, SectionDraft section)
            throws MalformedInput, IOException {
        List<Curve> curves = new ArrayList<>();
        List<Figure> curvePlots = new ArrayList<>();
        Map<String, String> titles = new LinkedHashMap<>();
        Map<String, String> strengthNames = new LinkedHashMap<>();
        for (JsonInput.Node curve : report.field("curves").elements()) {
            String id = curve.field("id").text();
            String title = curve.field("title").text();
            String strengthName = curve.field("strengthName").text();
            double[] strengths = curve.field("strengths").numbers();
            double[] accuracy = curve.field("accuracy").numbers();
            if (strengths.length != accuracy.length) {
                throw curve.problem("has " + strengths.length + " strengths but " + accuracy.length + " accuracies");
            }
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < strengths.length; i++) {
                points.add(new Point(strength(strengthName, strengths[i]), Formats.percent(accuracy[i], 1)));
            }
            curves.add(new Curve(title, strengthName, points));
            titles.put(id, title);
            strengthNames.put(id, strengthName);
            curvePlots.add(files.figure(dir.resolve(OutputFiles.accuracyFigure(id)), title + ": accuracy against " + strengthName, section,
                    COMMAND));
        }
        Figure summaryPlot = files.figure(dir.resolve(OutputFiles.ROBUSTNESS_SUMMARY_FIGURE), "accuracy against strength, every perturbation",
                section, COMMAND);

        Map<String, List<JsonInput.Node>> examplesBySeries = new LinkedHashMap<>();
        Map<Long, String> trueClassOfImage = new LinkedHashMap<>();
        for (JsonInput.Node example : report.field("examples").elements()) {
            examplesBySeries.computeIfAbsent(example.field("series").text(), s -> new ArrayList<>()).add(example);
            trueClassOfImage.put(example.field("image").integer(), example.field("trueClass").text());
        }
        List<ExampleGroup> groups = new ArrayList<>();
        for (Map.Entry<String, List<JsonInput.Node>> series : examplesBySeries.entrySet()) {
            List<Figure> figures = new ArrayList<>();
            int changed = 0;
            for (JsonInput.Node example : series.getValue()) {
                String before = example.field("classBefore").text();
                String after = example.field("classAfter").text();
                changed += before.equals(after) ? 0 : 1;
                String caption = String.format(Locale.ROOT, "image %d (%s): %s %s → %s %s", example.field("image").integer(),
                        example.field("trueClass").text(), before, Formats.percent(example.field("probabilityBefore").number(), 1),
                        after, Formats.percent(example.field("probabilityAfter").number(), 1));
                figures.add(files.figure(files.resolve(example.field("file").text()), caption, section, COMMAND));
            }
            JsonInput.Node first = series.getValue().get(0);
            String strengthName = strengthNames.getOrDefault(series.getKey(), "strength");
            groups.add(new ExampleGroup(titles.getOrDefault(series.getKey(), series.getKey()),
                    strengthName + " " + strength(strengthName, first.field("strength").number()),
                    changed + " of " + series.getValue().size() + " predictions changed", figures));
        }

        List<Shift> shifts = new ArrayList<>();
        List<Figure> shiftFigures = new ArrayList<>();
        double movedSum = 0;
        int movedCount = 0;
        double heldSum = 0;
        int heldCount = 0;
        for (JsonInput.Node shift : report.field("explanationShifts").elements()) {
            long image = shift.field("image").integer();
            int before = (int) shift.field("cleanClass").integer();
            int after = (int) shift.field("adversarialClass").integer();
            double cosine = shift.field("cosineSimilarity").number();
            boolean changed = before != after;
            shifts.add(new Shift(String.valueOf(image), shift.field("method").text(), className(classNames, before),
                    className(classNames, after), changed ? "changed" : "held", Formats.fixed(cosine, 2)));
            if (Double.isFinite(cosine)) {
                if (changed) {
                    movedSum += cosine;
                    movedCount++;
                } else {
                    heldSum += cosine;
                    heldCount++;
                }
            }
            String trueClass = trueClassOfImage.get(image);
            Path figure = dir.resolve("explanations").resolve(image + "_" + trueClass + ".png");
            if (trueClass != null && shiftFigures.stream().noneMatch(f -> f.path().equals(files.display(figure)))) {
                shiftFigures.add(files.figure(figure, "test image " + image + ": saliency and Integrated Gradients before and after",
                        section, COMMAND));
            }
        }
        List<String> finding = new ArrayList<>();
        if (movedCount > 0) {
            finding.add(String.format(Locale.ROOT, "where the attack changed the prediction (%d maps), the map's mean cosine "
                    + "similarity with the clean one is %.2f", movedCount, movedSum / movedCount));
        }
        if (heldCount > 0) {
            finding.add(String.format(Locale.ROOT, "where the prediction held (%d maps), %.2f", heldCount, heldSum / heldCount));
        }
        String shiftFinding = finding.isEmpty() ? null
                : Character.toUpperCase(finding.get(0).charAt(0)) + String.join("; ", finding).substring(1) + ".";
        String shiftNote = report.optional("explanationNote").isPresent() ? report.field("explanationNote").text() : null;
        return new View(report.field("model").text(), Formats.count(report.field("images").integer()),
                Formats.duration(report.field("seconds").number()), curves, summaryPlot, curvePlots, groups, shifts, shiftFinding,
                shiftNote, shiftFigures);
    }

    /** Attack radii as the commands print them, "8/255"; corruption strengths as plain numbers. */
    private static String strength(String strengthName, double value) {
        if (strengthName.equals("epsilon")) {
            return compact(value * 255) + "/255";
        }
        return compact(value);
    }

    private static String compact(double value) {
        return Double.isFinite(value) ? new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString() : "–";
    }

    private static String className(List<String> classNames, int index) {
        return index >= 0 && index < classNames.size() ? classNames.get(index) : "class " + index;
    }
}
