package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerGradients;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.graph.GraphClassifier;

import java.util.List;
import java.util.Map;

/**
 * FullGrad (Srinivas and Fleuret 2019), as pytorch-grad-cam computes it: |gradient x input| in each
 * input channel, and |bias x gradient| in each channel of every layer that adds a bias per channel
 * (convolutions, batch norms), each of these planes scaled to [0,1] on its own and resized bilinearly to
 * the input, all summed. One backward pass. Unlike pytorch-grad-cam, the sum is not scaled to [0,1] at
 * the end, as none of our CAMs is: maps stay comparable across images.
 */
public final class FullGrad extends AbstractAttribution<FullGrad.Options> {
    public static final String ID = "full-grad";
    /** Added to each plane's range before dividing by it, as pytorch-grad-cam does: a flat plane becomes 0, not NaN. */
    private static final double RANGE_EPSILON = 1e-7;

    public record Options(Score score) implements MethodOptions {
        public Options {
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(Score.LOGIT);
        }
    }

    private final GraphClassifier graph;
    private final Map<String, double[]> biases;

    public FullGrad(Classifier classifier, Options options) {
        super(ID, classifier, options);
        this.graph = MethodRefusal.layerGraph(ID, classifier, "it reads every layer's bias");
        this.biases = graph.channelBiases();
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int channels = (int) rows.size(1);
        int height = (int) rows.size(2);
        int width = (int) rows.size(3);
        int plane = height * width;
        LayerGradients gradients = graph.gradients(rows, List.copyOf(biases.keySet()), classes, score);
        double[] x = HostValues.of(rows);
        double[] inputGradient = HostValues.of(gradients.input());
        double[] out = new double[n * plane];
        for (int i = 0; i < n; i++) {
            double[] inputPlanes = new double[channels * plane];
            for (int v = 0; v < inputPlanes.length; v++) {
                inputPlanes[v] = Math.abs(inputGradient[i * channels * plane + v] * x[i * channels * plane + v]);
            }
            addScaledPlanes(inputPlanes, channels, height, width, height, width, out, i * plane);
        }
        gradients.layers().forEach((layer, gradient) -> {
            double[] bias = biases.get(layer);
            int k = (int) gradient.size(1);
            int h = (int) gradient.size(2);
            int w = (int) gradient.size(3);
            double[] values = HostValues.of(gradient);
            for (int i = 0; i < n; i++) {
                double[] planes = new double[k * h * w];
                for (int v = 0; v < planes.length; v++) {
                    planes[v] = Math.abs(bias[v / (h * w)] * values[i * planes.length + v]);
                }
                addScaledPlanes(planes, k, h, w, height, width, out, i * plane);
            }
        });
        return HostValues.array(out, new long[]{n, 1, height, width}, rows.dataType());
    }

    /** Scales each of {@code count} planes of h x w to [0,1], resizes it to height x width and adds it to {@code out} at {@code at}. */
    private static void addScaledPlanes(double[] planes, int count, int h, int w, int height, int width, double[] out, int at) {
        int size = h * w;
        for (int p = 0; p < count; p++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = p * size; v < (p + 1) * size; v++) {
                min = Math.min(min, planes[v]);
                max = Math.max(max, planes[v]);
            }
            double range = RANGE_EPSILON + max - min;
            for (int v = p * size; v < (p + 1) * size; v++) {
                planes[v] = (planes[v] - min) / range;
            }
        }
        double[] resized = h == height && w == width ? planes : Upsampling.bilinearValues(planes, count, h, w, height, width);
        for (int p = 0; p < count; p++) {
            for (int v = 0; v < height * width; v++) {
                out[at + v] += resized[p * height * width + v];
            }
        }
    }
}
