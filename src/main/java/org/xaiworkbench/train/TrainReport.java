package org.xaiworkbench.train;

import org.xaiworkbench.data.OutputFiles;

import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.viz.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run measured, as written to metrics.json beside the weights, with when it finished
 * (ISO 8601), which dates the run where a file's modification time would only date the copy.
 */
public record TrainReport(TrainConfig config, ModelCard model, List<EpochStats> epochs, double testLoss,
                          double testAccuracy, double macroPrecision, double macroRecall, double macroF1,
                          double[] precision, double[] recall, double[] f1, long[][] confusion, String backend,
                          double seconds, double trainImagesPerSecond, String finished) {

    static TrainReport of(TrainConfig config, ModelCard card, List<EpochStats> epochs, Evaluator.Result test,
                          String backend, double seconds) {
        ConfusionMatrix cm = test.confusion();
        int k = cm.numClasses();
        double[] p = new double[k];
        double[] r = new double[k];
        double[] f = new double[k];
        for (int c = 0; c < k; c++) {
            p[c] = cm.precision(c);
            r[c] = cm.recall(c);
            f[c] = cm.f1(c);
        }
        double imagesPerSecond = epochs.stream().mapToDouble(EpochStats::imagesPerSecond).average().orElse(0);
        return new TrainReport(config, card, List.copyOf(epochs), test.loss(), test.accuracy(), cm.macroPrecision(),
                cm.macroRecall(), cm.macroF1(), p, r, f, cm.counts(), backend, seconds, imagesPerSecond,
                java.time.Instant.now().toString());
    }

    void writeTo(Path dir, List<String> classNames, ConfusionMatrix cm) throws IOException {
        AtomicFiles.write(dir.resolve(OutputFiles.TRAINING_METRICS), t -> ModelStore.JSON.writeValue(t.toFile(), this));
        AtomicFiles.writeString(dir.resolve("confusion.csv"), cm.toCsv(classNames));
        Charts.confusionMatrix(cm.counts(), classNames,
                String.format("%s: test accuracy %.2f%%", config.runName(), 100 * testAccuracy),
                dir.resolve(OutputFiles.CONFUSION_FIGURE));
        Map<String, double[]> losses = new LinkedHashMap<>();
        losses.put("train loss", epochs.stream().mapToDouble(EpochStats::trainLoss).toArray());
        losses.put("validation loss", epochs.stream().mapToDouble(EpochStats::validationLoss).toArray());
        Map<String, double[]> accuracies = new LinkedHashMap<>();
        accuracies.put("train accuracy", epochs.stream().mapToDouble(EpochStats::trainAccuracy).toArray());
        accuracies.put("validation accuracy", epochs.stream().mapToDouble(EpochStats::validationAccuracy).toArray());
        Charts.trainingCurves(epochs.stream().mapToDouble(EpochStats::epoch).toArray(), losses, accuracies, config.runName(),
                dir.resolve(OutputFiles.TRAINING_CURVES_FIGURE));
    }
}
