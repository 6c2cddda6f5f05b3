package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.perturbation.BatchScorer;
import org.xaiworkbench.model.Classifier;

/**
 * Score-CAM (Wang et al. 2020), as pytorch-grad-cam computes it: each channel of the layer, resized to
 * the input with corners aligned and min-max scaled to [0,1], masks the picture; the channel's weight is
 * the softmax over channels of the masked pictures' scores; then sum_k w_k A_k, ReLU, resize. One
 * forward pass per channel and image, no gradient.
 */
public final class ScoreCam extends ScoredChannelCam {
    public static final String ID = "score-cam";
    /** Masked pictures per forward call. */
    private static final int BATCH = 32;
    /** pytorch-grad-cam's guard against a constant channel's zero range. */
    private static final double RANGE_EPSILON = 1e-8;

    public ScoreCam(Classifier classifier, AbstractCam.Options options) {
        super(ID, classifier, options);
    }

    /** The softmax over channels of the scores of the picture masked by each channel, resized with corners aligned and scaled to [0,1]. */
    @Override
    protected double[] channelWeights(Layer layer, INDArray rows, int m, int targetClass) {
        int channels = layer.planes().channels();
        int colours = (int) rows.size(1);
        int height = (int) rows.size(2);
        int width = (int) rows.size(3);
        int picture = height * width;
        double[] pixels = HostValues.of(rows.get(NDArrayIndex.point(m)));
        double[] masks = Upsampling.bilinearAlignedCorners(layer.activation(m), channels, layer.height(), layer.width(), height, width);
        for (int c = 0; c < channels; c++) {
            minMaxScale(masks, c * picture, picture);
        }
        double[] scores = new BatchScorer(classifier, score, BATCH).scores(channels, colours, height, width, targetClass, (k, buffer, offset) -> {
            for (int colour = 0; colour < colours; colour++) {
                for (int p = 0; p < picture; p++) {
                    buffer[offset + colour * picture + p] = (float) (pixels[colour * picture + p] * masks[k * picture + p]);
                }
            }
        });
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double total = 0;
        double[] weights = new double[channels];
        for (int c = 0; c < channels; c++) {
            weights[c] = Math.exp(scores[c] - max);
            total += weights[c];
        }
        for (int c = 0; c < channels; c++) {
            weights[c] /= total;
        }
        return weights;
    }

    private static void minMaxScale(double[] values, int from, int count) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int p = from; p < from + count; p++) {
            min = Math.min(min, values[p]);
            max = Math.max(max, values[p]);
        }
        for (int p = from; p < from + count; p++) {
            values[p] = (values[p] - min) / (max - min + RANGE_EPSILON);
        }
    }
}
