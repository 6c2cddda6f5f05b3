package org.xaiworkbench.evaluate;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.List;

/**
 * Forward passes of perturbed images, {@code batchSize} per classifier call whatever metric, method
 * or image they come from, with a count of the images scored.
 */
public final class Probe {
    private final Classifier classifier;
    private final int batchSize;
    private final DataType dataType;
    private long scored;

    /** @param dataType the precision images are handed to the classifier in: FLOAT for the trained model */
    public Probe(Classifier classifier, int batchSize, DataType dataType) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch must be > 0, got " + batchSize);
        }
        this.classifier = classifier;
        this.batchSize = batchSize;
        this.dataType = dataType;
    }

    /** The logits of each image, [C,H,W] flattened, all shaped like {@code like}. */
    public double[][] logits(List<double[]> images, Sample like) {
        double[][] out = new double[images.size()][];
        for (int start = 0; start < images.size(); start += batchSize) {
            int n = Math.min(batchSize, images.size() - start);
            INDArray batch = Maps.batch(images.subList(start, start + n), like, dataType);
            double[] values = HostValues.of(classifier.logits(batch));
            int classes = values.length / n;
            for (int j = 0; j < n; j++) {
                out[start + j] = Arrays.copyOfRange(values, j * classes, (j + 1) * classes);
            }
        }
        scored += images.size();
        return out;
    }

    /** The target score of each image under {@code score}. */
    public double[] scores(List<double[]> images, Sample like, int target, Score score) {
        double[][] logits = logits(images, like);
        double[] out = new double[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = score(logits[i], target, score);
        }
        return out;
    }

    public long imagesScored() {
        return scored;
    }

    /** The score of class {@code target} from one image's logits. */
    public static double score(double[] logits, int target, Score score) {
        return switch (score) {
            case LOGIT -> logits[target];
            case PROBABILITY, LOG_PROBABILITY -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : logits) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : logits) {
                    sum += Math.exp(v - max);
                }
                double logProbability = logits[target] - max - Math.log(sum);
                yield score == Score.PROBABILITY ? Math.exp(logProbability) : logProbability;
            }
        };
    }
}
