package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accuracy against strength for every series over a set of labelled images, batch by batch. Strength
 * 0 is the identity for every perturbation, so it shares the clean predictions instead of recomputing
 * them. The random draws of series s on the batch starting at image b are seeded by (seed, s, b).
 */
public final class AccuracySweep {
    /** Told after every batch how many images are done and the curves so far. */
    @FunctionalInterface
    public interface Progress {
        void batchDone(int imagesDone, List<AccuracyCurve> curvesSoFar);
    }

    private final Classifier classifier;
    private final List<SweepSeries> series;
    private final int batchSize;
    private final long seed;

    public AccuracySweep(Classifier classifier, List<SweepSeries> series, int batchSize, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch must be > 0, got " + batchSize);
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one series");
        }
        this.classifier = classifier;
        this.series = List.copyOf(series);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public List<AccuracyCurve> run(LabeledImages images, Progress progress) {
        int n = images.size();
        long[][] correct = new long[series.size()][];
        for (int s = 0; s < series.size(); s++) {
            correct[s] = new long[series.get(s).strengths().length];
        }
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            INDArray x = images.pixelTensor(from, to);
            int[] labels = Arrays.copyOfRange(images.labels(), from, to);
            long clean = countCorrect(classifier.logits(x), labels);
            for (int s = 0; s < series.size(); s++) {
                SweepSeries one = series.get(s);
                for (int i = 0; i < one.strengths().length; i++) {
                    double strength = one.strengths()[i];
                    if (strength == 0) {
                        correct[s][i] += clean;
                        continue;
                    }
                    INDArray perturbed = one.perturbation().apply(x, labels, strength, batchSeed(seed, s, from));
                    correct[s][i] += countCorrect(classifier.logits(perturbed), labels);
                    perturbed.close();
                }
            }
            x.close();
            progress.batchDone(to, curves(correct, to));
        }
        return curves(correct, n);
    }

    static long batchSeed(long seed, int series, int firstImage) {
        long h = seed * 0x9E3779B97F4A7C15L + series;
        return h * 0xBF58476D1CE4E5B9L + firstImage;
    }

    private List<AccuracyCurve> curves(long[][] correct, long total) {
        List<AccuracyCurve> out = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            SweepSeries one = series.get(s);
            out.add(new AccuracyCurve(one.id(), one.title(), one.strengthName(), one.strengths(), correct[s].clone(), total));
        }
        return out;
    }

    /** Rows of the logits whose arg-max is the label. */
    public static long countCorrect(INDArray logits, int[] labels) {
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (logits.getRow(i).argMax().getInt(0) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
