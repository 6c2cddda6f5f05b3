package org.xaiworkbench.report;

import org.xaiworkbench.data.OutputFiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Section 2: the report's table beside ours, per-class precision, recall and F1, confusion matrices and curves. */
final class ReproductionSection {
    static final String ID = "reproduction";
    static final String TITLE = "Reproduction";

    record View(List<Row> table, List<String> runNames, List<ClassRow> perClass, List<Figure> confusion, List<Figure> curves) {
    }

    /** A row of the comparison table; ours are set in bold. */
    record Row(String run, boolean ours, List<String> values) {
    }

    /** Precision, recall and F1 of one class for each run, in runNames order. */
    record ClassRow(String className, List<String> values) {
    }

    private ReproductionSection() {
    }

    static void fill(SectionDraft section, List<TrainingRun> runs, PageFiles files) throws IOException {
        if (runs.isEmpty()) {
            return;
        }
        List<Row> table = new ArrayList<>();
        List<Figure> confusion = new ArrayList<>();
        List<Figure> curves = new ArrayList<>();
        for (TrainingRun run : runs) {
            ReferenceRuns.forL2(run.l2()).forEach(reference -> table.add(new Row(reference.run(), false, reference.values())));
            TrainingRun.Epoch last = run.last();
            table.add(new Row("ours, " + run.runName(), true, List.of(Formats.percent(last.trainAccuracy(), 2),
                    Formats.fixed(last.trainLoss(), 2), Formats.percent(last.validationAccuracy(), 2),
                    Formats.fixed(last.validationLoss(), 2), Formats.percent(run.testAccuracy(), 2), Formats.fixed(run.testLoss(), 2),
                    Formats.fixed(run.macroPrecision(), 2), Formats.fixed(run.macroRecall(), 2), Formats.fixed(run.macroF1(), 2))));
            String command = TrainingRun.command(run.folder());
            confusion.add(files.figure(run.folder().resolve(OutputFiles.CONFUSION_FIGURE), run.runName() + ": confusion matrix on the test set",
                    section, command));
            curves.add(files.figure(run.folder().resolve(OutputFiles.TRAINING_CURVES_FIGURE), run.runName() + ": loss and accuracy per epoch",
                    section, command));
        }
        List<String> classNames = runs.get(0).classNames();
        List<ClassRow> perClass = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            List<String> values = new ArrayList<>();
            for (TrainingRun run : runs) {
                boolean sameClass = c < run.classNames().size() && run.classNames().get(c).equals(classNames.get(c));
                values.add(sameClass ? Formats.fixed(run.precision()[c], 2) : "–");
                values.add(sameClass ? Formats.fixed(run.recall()[c], 2) : "–");
                values.add(sameClass ? Formats.fixed(run.f1()[c], 2) : "–");
            }
            perClass.add(new ClassRow(classNames.get(c), values));
        }
        section.content(new View(table, runs.stream().map(TrainingRun::runName).toList(), perClass, confusion, curves));
    }
}
