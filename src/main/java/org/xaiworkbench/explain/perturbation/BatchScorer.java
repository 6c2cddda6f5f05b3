package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.Scores;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;

/**
 * Scores many perturbed copies of one image with forward passes only, batchSize images per
 * {@code classifier.logits} call, without holding every perturbation in memory at once.
 */
public final class BatchScorer {
    /** Writes perturbed image {@code index}, [C,H,W] flattened, into {@code buffer} at {@code offset}. */
    @FunctionalInterface
    public interface PerturbationWriter {
        void write(int index, float[] buffer, int offset);
    }

    private final Classifier classifier;
    private final Score score;
    private final int batchSize;

    public BatchScorer(Classifier classifier, Score score, int batchSize) {
        this.classifier = classifier;
        this.score = score;
        this.batchSize = batchSize;
    }

    /** The target-class score of perturbations 0..count-1 of an image of shape [channels,height,width]. */
    public double[] scores(int count, int channels, int height, int width, int targetClass, PerturbationWriter writer) {
        int imageSize = channels * height * width;
        double[] out = new double[count];
        float[] buffer = new float[Math.min(batchSize, count) * imageSize];
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            for (int j = 0; j < n; j++) {
                writer.write(start + j, buffer, j * imageSize);
            }
            float[] filled = n * imageSize == buffer.length ? buffer : Arrays.copyOf(buffer, n * imageSize);
            INDArray batch = Nd4j.create(filled, new long[]{n, channels, height, width}, 'c');
            INDArray values = Scores.of(classifier.logits(batch), score);
            for (int j = 0; j < n; j++) {
                out[start + j] = values.getDouble(j, targetClass);
            }
        }
        return out;
    }
}
