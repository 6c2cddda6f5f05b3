package org.xaiworkbench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Section 1: the network's modules, and how each weights folder was trained. */
final class ModelCardSection {
    static final String ID = "model-card";
    static final String TITLE = "Model card";

    /** @param folders the weights folders, one column each in the configuration table */
    record View(List<ArchitectureRow> architecture, String totalParameters, List<String> folders, List<Row> configuration) {
    }

    /** One line of the configuration table: a label and one value per run. */
    record Row(String label, List<String> values) {
    }

    private ModelCardSection() {
    }

    static void fill(SectionDraft section, List<ArchitectureRow> architecture, List<TrainingRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        long total = architecture.stream().mapToLong(ArchitectureRow::parameters).sum();
        List<Row> rows = new ArrayList<>();
        rows.add(row(runs, "run", TrainingRun::runName));
        rows.add(row(runs, "epochs", run -> String.valueOf(run.epochs())));
        rows.add(row(runs, "batch size", run -> String.valueOf(run.batchSize())));
        rows.add(row(runs, "optimiser", run -> "Adam, learning rate " + Formats.setting(run.learningRate())));
        rows.add(row(runs, "L2 (weight decay)", run -> run.l2() == 0 ? "none" : Formats.setting(run.l2())));
        rows.add(row(runs, "seed", run -> String.valueOf(run.seed())));
        rows.add(row(runs, "validation images", run -> Formats.count(run.validationSize())));
        rows.add(row(runs, "data SHA-256", TrainingRun::dataSha256));
        rows.add(row(runs, "normalization mean / std", run -> triple(run.mean()) + " / " + triple(run.std())));
        rows.add(row(runs, "backend", TrainingRun::backend));
        rows.add(row(runs, "duration", run -> Formats.duration(run.seconds())));
        rows.add(row(runs, "training images/s", run -> Formats.fixed(run.imagesPerSecond(), 1)));
        rows.add(row(runs, "test accuracy", run -> Formats.percent(run.testAccuracy(), 2)));
        section.content(new View(architecture, Formats.count(total), runs.stream().map(run -> run.folder().toString()).toList(), rows));
    }

    private static Row row(List<TrainingRun> runs, String label, Function<TrainingRun, String> value) {
        return new Row(label, runs.stream().map(value).toList());
    }

    private static String triple(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v)).collect(Collectors.joining(", "));
    }
}
