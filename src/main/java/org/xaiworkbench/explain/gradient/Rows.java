package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Scores;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;

/** Conversions between [N,C,H,W] batches and per-image c-order arrays, and the chunked gradient loop. */
final class Rows {
    /** Writes generated row {@code p}, [C,H,W] flattened, into {@code buffer} at {@code offset}. */
    @FunctionalInterface
    interface Generator {
        void write(int p, double[] buffer, int offset);
    }

    /** Receives the gradient of generated row {@code p}, [C,H,W] flattened, from {@code gradients} at {@code offset}. */
    @FunctionalInterface
    interface Sink {
        void accept(int p, double[] gradients, int offset);
    }

    private Rows() {
    }

    /** Every image of rows, [C,H,W] flattened, from one read of the batch. */
    static double[][] images(INDArray rows) {
        double[] all = HostValues.of(rows);
        int size = imageSize(rows);
        double[][] images = new double[(int) rows.size(0)][];
        for (int i = 0; i < images.length; i++) {
            images[i] = Arrays.copyOfRange(all, i * size, (i + 1) * size);
        }
        return images;
    }

    /**
     * The baseline of each image of a batch shaped like {@code like}, image i's drawn from
     * {@code random.row(i)}, so that drawing again for the same rows gives the same baselines.
     */
    static double[][] baselines(Baseline baseline, double[][] images, INDArray like, AbstractAttribution.RowRandom random) {
        double[][] baselines = new double[images.length][];
        for (int i = 0; i < images.length; i++) {
            baselines[i] = baseline.of(images[i], (int) like.size(1), (int) like.size(2), (int) like.size(3), random.row(i));
        }
        return baselines;
    }

    static int imageSize(INDArray rows) {
        return (int) (rows.size(1) * rows.size(2) * rows.size(3));
    }

    static INDArray batch(double[] values, long n, INDArray like) {
        return HostValues.array(values, new long[]{n, like.size(1), like.size(2), like.size(3)}, like.dataType());
    }

    /**
     * Score gradients of {@code total} generated rows, at most {@code batchSize} per classifier call,
     * so memory stays bounded however many steps or samples a method takes.
     */
    static void gradients(Classifier classifier, Score score, INDArray like, int total, int batchSize,
                          java.util.function.IntUnaryOperator classOf, Generator generator, Sink sink) {
        int size = imageSize(like);
        for (int start = 0; start < total; start += batchSize) {
            int n = Math.min(batchSize, total - start);
            double[] buffer = new double[n * size];
            int[] classes = new int[n];
            for (int j = 0; j < n; j++) {
                generator.write(start + j, buffer, j * size);
                classes[j] = classOf.applyAsInt(start + j);
            }
            INDArray grads = classifier.scoreGradient(batch(buffer, n, like), classes, score);
            double[] values = HostValues.of(grads);
            for (int j = 0; j < n; j++) {
                sink.accept(start + j, values, j * size);
            }
        }
    }

    /** score(x_i)[classes[i]] of each image [C,H,W] given flattened. */
    static double[] scores(Classifier classifier, Score score, double[][] images, int[] classes, INDArray like) {
        int size = imageSize(like);
        double[] all = new double[images.length * size];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, all, i * size, size);
        }
        INDArray values = Scores.of(classifier.logits(batch(all, images.length, like)), score);
        double[] out = new double[images.length];
        for (int i = 0; i < images.length; i++) {
            out[i] = values.getDouble(i, classes[i]);
        }
        return out;
    }

    /** Per row: the attributions' sum minus (the target score at the input minus its value at the reference). */
    static double[] completenessDelta(AbstractAttribution.Attributed attributed, double[] atReference) {
        INDArray attributions = attributed.attributions();
        double[] sums = attributions.castTo(DataType.DOUBLE).reshape(attributions.size(0), -1).sum(1).toDoubleVector();
        double[] delta = new double[sums.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = sums[i] - (attributed.targetScores()[i] - atReference[i]);
        }
        return delta;
    }
}
