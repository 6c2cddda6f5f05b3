package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.Score;

import java.util.List;

/**
 * A two-class analytic classifier for perturbation tests: logit 0 is a function of one [C,H,W]
 * image given in subclasses, logit 1 is 0. Gradients throw, so a test also fails if a forward-only
 * method ever asks for one. Counts images and calls to check batching.
 */
abstract class ForwardOnlyClassifier implements Classifier {
    int forwardCalls;
    int imagesScored;
    int largestBatch;

    /** Logit 0 of one image, flattened [C,H,W]. */
    abstract double logit(double[] image, int channels, int height, int width);

    @Override
    public int numClasses() {
        return 2;
    }

    @Override
    public List<String> classNames() {
        return List.of("target", "other");
    }

    @Override
    public List<String> layerNames() {
        return List.of();
    }

    @Override
    public INDArray logits(INDArray x) {
        int n = (int) x.size(0);
        forwardCalls++;
        imagesScored += n;
        largestBatch = Math.max(largestBatch, n);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, n, 2);
        for (int i = 0; i < n; i++) {
            double[] image = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).ravel().toDoubleVector();
            out.putScalar(i, 0, logit(image, (int) x.size(1), (int) x.size(2), (int) x.size(3)));
        }
        return out;
    }

    @Override
    public INDArray scoreGradient(INDArray x, int[] classes, Score score) {
        throw new UnsupportedOperationException("forward-only test model");
    }

    @Override
    public LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
        throw new UnsupportedOperationException("forward-only test model");
    }

    /** logit = sum_s w_s * mean of segment s over its pixels and all channels. */
    static ForwardOnlyClassifier additive(Superpixels segments, double[] weights) {
        return new ForwardOnlyClassifier() {
            @Override
            double logit(double[] image, int channels, int height, int width) {
                double[] means = segmentMeans(image, channels, segments);
                double logit = 0;
                for (int s = 0; s < means.length; s++) {
                    logit += weights[s] * means[s];
                }
                return logit;
            }
        };
    }

    /** Mean of each segment over its pixels and all channels. */
    static double[] segmentMeans(double[] image, int channels, Superpixels segments) {
        int plane = segments.height() * segments.width();
        double[] sum = new double[segments.count()];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                sum[segments.label(p)] += image[c * plane + p];
            }
        }
        int[] sizes = segments.sizes();
        for (int s = 0; s < sum.length; s++) {
            sum[s] /= (double) sizes[s] * channels;
        }
        return sum;
    }

    /** logit = scale * sum of all channels over the pixels of rows [y0,y1) x columns [x0,x1). */
    static ForwardOnlyClassifier patch(int y0, int y1, int x0, int x1, double scale) {
        return new ForwardOnlyClassifier() {
            @Override
            double logit(double[] image, int channels, int height, int width) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            sum += image[(c * height + y) * width + x];
                        }
                    }
                }
                return scale * sum;
            }
        };
    }
}
