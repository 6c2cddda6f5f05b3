package org.xaiworkbench.evaluate;

import java.util.function.DoubleConsumer;

import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Images with every method's map of each, what metrics read. Work that several metrics or methods
 * need (the substrates' scores, the random pixel subsets) is computed once per batch through {@link #memo}.
 */
public final class EvaluationBatch {
    private final List<Sample> samples;
    private final Map<String, double[][]> maps;
    private final MethodSuite methods;
    private final Probe probe;
    private final EvaluationConfig config;
    private final Map<String, Object> memo = new HashMap<>();
    private final List<CurvePoint> curves;
    private DoubleConsumer progress = methods -> { };

    /**
     * @param maps per method id, one map per sample: [C*H*W] or [H*W]
     */
    public EvaluationBatch(List<Sample> samples, Map<String, double[][]> maps, MethodSuite methods, Probe probe,
                           EvaluationConfig config) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        for (Map.Entry<String, double[][]> entry : maps.entrySet()) {
            if (entry.getValue().length != samples.size()) {
                throw new IllegalArgumentException(entry.getKey() + ": " + entry.getValue().length + " maps for " + samples.size()
                        + " images");
            }
            for (int i = 0; i < samples.size(); i++) {
                Maps.check(entry.getKey(), entry.getValue()[i], samples.get(i));
            }
        }
        this.samples = List.copyOf(samples);
        this.maps = new LinkedHashMap<>(maps);
        this.methods = methods;
        this.probe = probe;
        this.config = config;
        this.curves = new ArrayList<>();
    }

    public List<Sample> samples() {
        return samples;
    }

    public int size() {
        return samples.size();
    }

    public List<String> methodIds() {
        return List.copyOf(maps.keySet());
    }

    /** Method {@code id}'s map of image {@code i} as computed, [C*H*W] or [H*W]. */
    public double[] map(String id, int i) {
        return maps.get(id)[i];
    }

    /** Method {@code id}'s map of image {@code i} summed over channels, [H*W]. */
    public double[] pixelMap(String id, int i) {
        return Maps.pixelMap(maps.get(id)[i], samples.get(i));
    }

    /** A value for every method and image of the batch. */
    public Map<String, double[]> perMethodAndImage(PerImage value) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String id : maps.keySet()) {
            double[] values = new double[samples.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = value.of(id, i);
            }
            out.put(id, values);
            progress(1);
        }
        return out;
    }

    /** Who hears how far the metric being computed has got (the run's progress bar). */
    public void onProgress(DoubleConsumer listener) {
        progress = listener;
    }

    /**
     * Says that the metric being computed has done {@code methods} methods' worth of its work on every
     * image of the batch: 1 after each method, or a share of one for a metric that works in stages.
     */
    public void progress(double methods) {
        progress.accept(methods);
    }

    @FunctionalInterface
    public interface PerImage {
        double of(String method, int image);
    }

    public MethodSuite methods() {
        return methods;
    }

    public Classifier classifier() {
        return methods.classifier();
    }

    /**
     * Per channel, the pixel value the model's input normalization maps to 0: the dataset's mean colour for
     * the trained VGG, black for a model without normalization.
     */
    public double[] meanColour() {
        int channels = samples.get(0).channels();
        if (classifier() instanceof GraphClassifier graph && graph.normalization() != null) {
            return graph.normalization().mean().clone();
        }
        return new double[channels];
    }

    public Probe probe() {
        return probe;
    }

    public EvaluationConfig config() {
        return config;
    }

    /** The value under {@code key}, computed once for this batch (e.g. curves that several metrics read). */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, Supplier<T> compute) {
        Object value = memo.get(key);
        if (value == null) {
            value = compute.get();
            memo.put(key, value);
        }
        return (T) value;
    }

    public void addCurve(CurvePoint point) {
        curves.add(point);
    }

    public List<CurvePoint> curves() {
        return List.copyOf(curves);
    }

    /** The first {@code n} images with their maps, sharing this batch's probe. */
    public EvaluationBatch first(int n) {
        Map<String, double[][]> head = new LinkedHashMap<>();
        maps.forEach((id, m) -> head.put(id, Arrays.copyOf(m, n)));
        return new EvaluationBatch(samples.subList(0, n), head, methods, probe, config);
    }
}
