package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.perturbation.BatchScorer;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;

/**
 * Score-CAM (Wang et al. 2020), as pytorch-grad-cam computes it: each channel of the layer, resized to
 * the input with corners aligned and min-max scaled to [0,1], masks the picture; the channel's weight is
 * the softmax over channels of the masked pictures' scores; then sum_k w_k A_k, ReLU, resize. One
 * forward pass per channel and image, no gradient.
 */
public final class ScoreCam extends AbstractAttribution<AbstractCam.Options> {
    public static final String ID = "score-cam";
    /** Masked pictures per forward call. */
    private static final int BATCH = 32;
    /** pytorch-grad-cam's guard against a constant channel's zero range. */
    private static final double RANGE_EPSILON = 1e-8;

    public ScoreCam(Classifier classifier, AbstractCam.Options options) {
        super(ID, classifier, options);
        AbstractCam.checkLayer(ID, classifier, options.layer());
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        LayerCapture capture = classifier.capture(rows, options.layer(), classes, score);
        AbstractCam.Planes planes = AbstractCam.planes(capture);
        int channels = planes.channels();
        int h = (int) capture.activation().size(2);
        int w = (int) capture.activation().size(3);
        int height = (int) rows.size(2);
        int width = (int) rows.size(3);
        int colours = (int) rows.size(1);
        int picture = height * width;
        double[] pixels = HostValues.of(rows);
        double[] weights = new double[planes.maps() * channels];
        BatchScorer scorer = new BatchScorer(classifier, score, BATCH);
        for (int m = 0; m < planes.maps(); m++) {
            double[] own = new double[channels * planes.pixels()];
            System.arraycopy(planes.activation(), m * own.length, own, 0, own.length);
            double[] masks = Upsampling.bilinearAlignedCorners(own, channels, h, w, height, width);
            for (int c = 0; c < channels; c++) {
                minMaxScale(masks, c * picture, picture);
            }
            int image = m;
            double[] scores = scorer.scores(channels, colours, height, width, classes[m], (k, buffer, offset) -> {
                for (int colour = 0; colour < colours; colour++) {
                    for (int p = 0; p < picture; p++) {
                        buffer[offset + colour * picture + p] = (float) (pixels[(image * colours + colour) * picture + p] * masks[k * picture + p]);
                    }
                }
            });
            double max = Double.NEGATIVE_INFINITY;
            for (double s : scores) {
                max = Math.max(max, s);
            }
            double total = 0;
            for (int c = 0; c < channels; c++) {
                weights[m * channels + c] = Math.exp(scores[c] - max);
                total += weights[m * channels + c];
            }
            for (int c = 0; c < channels; c++) {
                weights[m * channels + c] /= total;
            }
        }
        double[] cam = ChannelWeightedCam.weightedSum(planes, weights);
        return AbstractCam.rectifiedAndResized(cam, planes.maps(), h, w, height, width, rows.dataType());
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
