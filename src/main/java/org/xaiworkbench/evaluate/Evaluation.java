package org.xaiworkbench.evaluate;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.WithLogits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores every method of a suite with every metric over a set of images, a chunk of images at a time:
 * the methods explain the chunk, then each metric reads the maps (subsample metrics only the run's first
 * images), and per metric the values are summarised with intervals and ranks.
 */
public final class Evaluation {
    private final MethodSuite methods;
    private final List<Metric> metrics;
    private final EvaluationConfig config;
    private final Probe probe;

    /** Progress, and a place for the maps (e.g. to save them). */
    public interface Listener {
        void explained(Sample sample, String method, double[] map);

        /** {@code what} (a method or metric id) is done for {@code images} more images. */
        void progress(String what, int images);

        /** Reports nothing (a Spark task, whose progress the driver counts by chunk). */
        Listener QUIET = new Listener() {
            @Override
            public void explained(Sample sample, String method, double[] map) {
            }

            @Override
            public void progress(String what, int images) {
            }
        };
    }

    /** Units of {@link Listener#progress} a run of {@code images} images reports in all. */
    public long progressUnits(int images) {
        return progressUnits(0, images);
    }

    /**
     * One value: image (test-set index, or a picture's position among the run's pictures), its label (the
     * true class, or a picture's predicted class) and explained class, method, metric.
     */
    public record Row(int image, int label, int target, String method, boolean control, String metric, double value)
            implements java.io.Serializable {
    }

    /**
     * Everything a run measured: per-image values, curves, per metric the summaries, the verdict, and
     * how long the methods and metrics took.
     */
    public record Result(List<Sample> samples, List<Row> rows, List<CurvePoint> curves,
                         Map<String, List<Statistics.Summary>> summaries, String verdict, Map<String, Long> methodNanos,
                         Map<String, Long> metricNanos, Map<String, Integer> metricImages, long imagesScored) {
    }

    public Evaluation(MethodSuite methods, List<Metric> metrics, EvaluationConfig config, Probe probe) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metrics to compute");
        }
        this.methods = methods;
        this.metrics = List.copyOf(metrics);
        this.config = config;
        this.probe = probe;
    }

    /**
     * The samples of {@code pixels} ([N,C,H,W] in [0,1]), each explained for the class the model predicts.
     *
     * @param indices the images' indices in their data set, for the outputs
     */
    public static List<Sample> samples(Classifier classifier, INDArray pixels, int[] labels, int[] indices) {
        return labelled(classifier, pixels, labels, indices);
    }

    /**
     * The samples of pictures without labels ([N,C,H,W] in [0,1]), indexed from {@code firstIndex} on in
     * the given order: each is explained for the class the model predicts, which also stands in for its label.
     */
    public static List<Sample> unlabelledSamples(Classifier classifier, INDArray pixels, int firstIndex) {
        int[] indices = new int[(int) pixels.size(0)];
        Arrays.setAll(indices, i -> firstIndex + i);
        return labelled(classifier, pixels, null, indices);
    }

    /** @param labels null to label each image with its predicted class */
    private static List<Sample> labelled(Classifier classifier, INDArray pixels, int[] labels, int[] indices) {
        if (pixels.size(0) == 0) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        int channels = (int) pixels.size(1);
        int height = (int) pixels.size(2);
        int width = (int) pixels.size(3);
        int size = channels * height * width;
        double[] values = HostValues.of(pixels);
        INDArray logits = classifier.logits(pixels);
        int[] predicted = WithLogits.argMax(logits);
        double[] allLogits = HostValues.of(logits);
        int classes = classifier.numClasses();
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < pixels.size(0); i++) {
            out.add(new Sample(indices[i], Arrays.copyOfRange(values, i * size, (i + 1) * size), channels, height, width,
                    labels == null ? predicted[i] : labels[i], predicted[i], Arrays.copyOfRange(allLogits, i * classes, (i + 1) * classes)));
        }
        return out;
    }

    /**
     * What one chunk of images added to a run: its values, curves, the time its methods and metrics took
     * and the images its probe scored. Chunks depend on nothing but their own images (every draw is
     * seeded by image and metric), so a run can be resumed from the chunks it had finished.
     */
    public record Chunk(List<Row> rows, List<CurvePoint> curves, Map<String, Long> methodNanos, Map<String, Long> metricNanos,
                        long imagesScored) implements java.io.Serializable {
    }

    /** Where finished chunks are kept, so that a killed run can go on from them. */
    public interface ChunkStore {
        /** Chunk {@code index} as an earlier run of the same settings finished it, or null. */
        Chunk load(int index);

        void save(int index, Chunk chunk);

        ChunkStore NONE = new ChunkStore() {
            @Override
            public Chunk load(int index) {
                return null;
            }

            @Override
            public void save(int index, Chunk chunk) {
            }
        };
    }

    public Result run(List<Sample> samples, int chunk, Listener listener) {
        return run(samples, chunk, listener, ChunkStore.NONE);
    }

    /** As {@link #run(List, int, Listener)}, taking the chunks {@code store} holds and saving each one it computes. */
    public Result run(List<Sample> samples, int chunk, Listener listener, ChunkStore store) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        if (chunk <= 0) {
            throw new IllegalArgumentException("chunk must be > 0, got " + chunk);
        }
        List<Row> rows = new ArrayList<>();
        List<CurvePoint> curves = new ArrayList<>();
        Map<String, Long> methodNanos = new LinkedHashMap<>();
        Map<String, Long> metricNanos = new LinkedHashMap<>();
        long imagesScored = 0;
        for (int start = 0; start < samples.size(); start += chunk) {
            List<Sample> part = samples.subList(start, Math.min(samples.size(), start + chunk));
            int index = start / chunk;
            Chunk done = store.load(index);
            if (done == null) {
                done = score(part, start, listener);
                store.save(index, done);
            } else {
                listener.progress("resumed", (int) Math.min(Integer.MAX_VALUE, progressUnits(start, part.size())));
            }
            rows.addAll(done.rows());
            curves.addAll(done.curves());
            done.methodNanos().forEach((id, nanos) -> methodNanos.merge(id, nanos, Long::sum));
            done.metricNanos().forEach((id, nanos) -> metricNanos.merge(id, nanos, Long::sum));
            imagesScored += done.imagesScored();
        }
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        for (Row row : rows) {
            values.computeIfAbsent(row.metric(), k -> new LinkedHashMap<>()).computeIfAbsent(row.method(), k -> new ArrayList<>())
                    .add(row.value());
        }
        Map<String, List<Statistics.Summary>> summaries = new LinkedHashMap<>();
        Map<String, Integer> metricImages = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            Map<String, List<Double>> byMethod = values.get(metric.id());
            if (byMethod == null) {
                continue;
            }
            Map<String, double[]> arrays = new LinkedHashMap<>();
            byMethod.forEach((method, list) -> arrays.put(method, list.stream().mapToDouble(Double::doubleValue).toArray()));
            summaries.put(metric.id(), Statistics.summarise(arrays, metric.direction(), config.bootstrapSamples(), config.seed()));
            metricImages.put(metric.id(), arrays.values().iterator().next().length);
        }
        String verdict = Verdict.of(summaries, methods);
        return new Result(List.copyOf(samples), rows, curves, summaries, verdict, methodNanos, metricNanos, metricImages,
                imagesScored);
    }

    /** Progress units of the images start..start+count-1 of a run: an image explained by a method, or scored for one by a metric. */
    public long progressUnits(int start, int count) {
        long units = (long) count * methods.ids().size();
        for (Metric metric : metrics) {
            units += (long) subsampleLimit(metric, start, count) * methods.ids().size();
        }
        return units;
    }

    /** How many of the images start..start+count-1 the metric scores: all, or those within its subsample. */
    private int subsampleLimit(Metric metric, int start, int count) {
        return switch (metric.subsample()) {
            case ALL -> count;
            case SENSITIVITY -> Math.max(0, Math.min(count, config.sensitivityImages() - start));
            case RANDOMIZATION -> Math.max(0, Math.min(count, config.randomizationImages() - start));
        };
    }

    /** Passes a metric's progress on in whole units, never more than its {@code total} units in all. */
    private static final class ProgressShare {
        private final int total;
        private final java.util.function.IntConsumer report;
        private double done;
        private int reported;

        ProgressShare(int total, java.util.function.IntConsumer report) {
            this.total = total;
            this.report = report;
        }

        void add(double units) {
            done += units;
            int now = (int) Math.min(total, Math.floor(done + 1e-9));
            if (now > reported) {
                report.accept(now - reported);
                reported = now;
            }
        }

        void finish() {
            if (reported < total) {
                report.accept(total - reported);
                reported = total;
            }
        }
    }

    /**
     * Explains and scores one chunk of a run: the images {@code start..start+part.size()-1} of its samples
     * (their positions decide which subsample metrics score them).
     */
    public Chunk score(List<Sample> part, int start, Listener listener) {
        long scoredBefore = probe.imagesScored();
        List<Row> rows = new ArrayList<>();
        List<CurvePoint> curves = new ArrayList<>();
        Map<String, Long> methodNanos = new LinkedHashMap<>();
        Map<String, Long> metricNanos = new LinkedHashMap<>();
        EvaluationBatch batch = new EvaluationBatch(part, explain(part, methodNanos, listener), methods, probe, config);
        for (Metric metric : metrics) {
            int limit = subsampleLimit(metric, start, part.size());
            if (limit == 0) {
                continue;
            }
            EvaluationBatch scored = limit == part.size() ? batch : batch.first(limit);
            int units = limit * scored.methodIds().size();
            ProgressShare share = new ProgressShare(units, done -> listener.progress(metric.id(), done));
            scored.onProgress(methods -> share.add(methods * limit));
            long begin = System.nanoTime();
            Map<String, double[]> result = metric.values(scored);
            metricNanos.merge(metric.id(), System.nanoTime() - begin, Long::sum);
            // what a metric did not report as it went (one that scores all methods at once) is reported here
            share.finish();
            if (scored != batch) {
                curves.addAll(scored.curves());
            }
            result.forEach((method, perImage) -> {
                for (int i = 0; i < perImage.length; i++) {
                    Sample sample = part.get(i);
                    rows.add(new Row(sample.index(), sample.label(), sample.target(), method, methods.isControl(method),
                            metric.id(), perImage[i]));
                }
            });
        }
        curves.addAll(batch.curves());
        return new Chunk(rows, curves, methodNanos, metricNanos, probe.imagesScored() - scoredBefore);
    }

    private Map<String, double[][]> explain(List<Sample> part, Map<String, Long> nanos, Listener listener) {
        List<double[]> images = part.stream().map(Sample::pixels).toList();
        int[] targets = part.stream().mapToInt(Sample::target).toArray();
        Map<String, double[][]> maps = new LinkedHashMap<>();
        for (String id : methods.ids()) {
            long begin = System.nanoTime();
            double[][] explained = methods.explain(id, methods.classifier(), images, part.get(0), targets);
            nanos.merge(id, System.nanoTime() - begin, Long::sum);
            for (int i = 0; i < part.size(); i++) {
                listener.explained(part.get(i), id, explained[i]);
            }
            maps.put(id, explained);
            listener.progress(id, part.size());
        }
        return maps;
    }
}
