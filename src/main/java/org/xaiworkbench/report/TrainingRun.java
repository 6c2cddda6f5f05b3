package org.xaiworkbench.report;

import org.xaiworkbench.data.OutputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What make train wrote to a weights folder's metrics.json, as the page shows it. */
record TrainingRun(Path folder, String runName, List<String> classNames, int epochs, int batchSize, double learningRate,
                   double l2, long seed, long validationSize, String dataSha256, double[] mean, double[] std, String backend,
                   double seconds, double imagesPerSecond, Epoch last, double testLoss, double testAccuracy,
                   double macroPrecision, double macroRecall, double macroF1, double[] precision, double[] recall, double[] f1,
                   java.time.Instant finished) {
    static final String METRICS_FILE = OutputFiles.TRAINING_METRICS;

    /** The last epoch's running training mean and its validation pass: what the report's table lists. */
    record Epoch(double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy) {
    }

    static TrainingRun read(Path folder) throws IOException, MalformedInput {
        JsonInput.Node root = JsonInput.read(folder.resolve(METRICS_FILE));
        JsonInput.Node config = root.field("config");
        JsonInput.Node model = root.field("model");
        List<JsonInput.Node> history = root.field("epochs").elements();
        if (history.isEmpty()) {
            throw root.field("epochs").problem("lists no epoch");
        }
        JsonInput.Node lastEpoch = history.get(history.size() - 1);
        Epoch last = new Epoch(lastEpoch.field("trainLoss").number(), lastEpoch.field("trainAccuracy").number(),
                lastEpoch.field("validationLoss").number(), lastEpoch.field("validationAccuracy").number());
        List<String> classNames = model.field("classNames").texts();
        double[] precision = perClass(root, "precision", classNames.size());
        double[] recall = perClass(root, "recall", classNames.size());
        double[] f1 = perClass(root, "f1", classNames.size());
        return new TrainingRun(folder, config.field("runName").text(), classNames, (int) config.field("epochs").integer(),
                (int) config.field("batchSize").integer(), config.field("learningRate").number(), config.field("l2").number(),
                config.field("seed").integer(), config.field("validationSize").integer(), model.field("dataSha256").text(),
                model.field("mean").numbers(), model.field("std").numbers(), root.field("backend").text(),
                root.field("seconds").number(), root.field("trainImagesPerSecond").number(), last,
                root.field("testLoss").number(), root.field("testAccuracy").number(), root.field("macroPrecision").number(),
                root.field("macroRecall").number(), root.field("macroF1").number(), precision, recall, f1,
                root.optional("finished").isPresent() ? root.field("finished").instant() : null);
    }

    private static double[] perClass(JsonInput.Node root, String field, int classes) throws MalformedInput {
        double[] values = root.field(field).numbers();
        if (values.length != classes) {
            throw root.field(field).problem("has " + values.length + " values for " + classes + " classes");
        }
        return values;
    }

    /** The command that writes this folder: the Makefile's targets for the report's two runs, else make train with its name. */
    static String command(Path folder) {
        String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
        return switch (name) {
            case "base" -> "make train";
            case "l2" -> "make train-l2";
            default -> "make train RUN_NAME=" + name;
        };
    }

    /**
     * Each of {@code folders} read; one without metrics.json gets a notice, a malformed one a warning,
     * in each of {@code sections} (the model card and the reproduction both draw on these runs).
     */
    static List<TrainingRun> readAll(List<Path> folders, List<SectionDraft> sections) throws IOException {
        List<TrainingRun> runs = new ArrayList<>();
        for (Path folder : folders) {
            Path metrics = folder.resolve(METRICS_FILE);
            if (!Files.isRegularFile(metrics)) {
                sections.forEach(section -> section.notRun(command(folder), metrics));
                continue;
            }
            try {
                TrainingRun run = read(folder);
                runs.add(run);
                // metrics.json written before training recorded its finish is dated by the file, and says so
                sections.forEach(section -> {
                    if (run.finished() != null) {
                        section.source(metrics, run.finished());
                    } else {
                        section.source(metrics);
                    }
                });
            } catch (MalformedInput e) {
                sections.forEach(section -> section.skipped(e, "this run"));
            }
        }
        return runs;
    }
}
