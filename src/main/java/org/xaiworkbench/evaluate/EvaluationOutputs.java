package org.xaiworkbench.evaluate;

import org.xaiworkbench.data.OutputFiles;

import org.xaiworkbench.evaluate.faithfulness.DeletionInsertionCurves;
import org.xaiworkbench.evaluate.randomization.ModelRandomization;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.viz.EvaluationCharts;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Writes a run's metrics.csv, curves.csv, summary.json and charts, each file atomically. */
public final class EvaluationOutputs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvaluationOutputs() {
    }

    /** @param run what the summary records besides the numbers: configuration, seed, weights, duration */
    public static List<Path> write(Evaluation.Result result, Map<String, Object> run, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(csv(out.resolve(OutputFiles.EVALUATION_VALUES), "image,label,target,method,control,metric,value", result.rows(),
                row -> String.format(Locale.ROOT, "%d,%d,%d,%s,%b,%s,%.9g", row.image(), row.label(), row.target(), row.method(),
                        row.control(), row.metric(), row.value())));
        written.add(csv(out.resolve(OutputFiles.EVALUATION_CURVES), "image,method,curve,step,x,label,y", result.curves(),
                p -> String.format(Locale.ROOT, "%d,%s,%s,%d,%.6g,%s,%.9g", p.image(), p.method(), p.curve(), p.step(), p.x(),
                        p.label(), p.y())));
        written.add(text(out.resolve(OutputFiles.EVALUATION_SUMMARY), JSON.writeValueAsString(summary(result, run))));
        written.addAll(charts(result, out));
        return written;
    }

    /** Line by line: a 1,000-image run of every method has millions of curve points, more than a capped heap holds as one string. */
    private static <T> Path csv(Path file, String header, List<T> items, Function<T, String> line) throws IOException {
        AtomicFiles.write(file, temp -> {
            try (BufferedWriter writer = Files.newBufferedWriter(temp)) {
                writer.write(header);
                writer.newLine();
                for (T item : items) {
                    writer.write(line.apply(item));
                    writer.newLine();
                }
            }
        });
        return file;
    }

    private static Path text(Path file, String content) throws IOException {
        AtomicFiles.writeString(file, content);
        return file;
    }

    private static Map<String, Object> summary(Evaluation.Result result, Map<String, Object> run) {
        Map<String, Object> summary = new LinkedHashMap<>(run);
        Map<String, Object> metrics = new LinkedHashMap<>();
        result.summaries().forEach((id, rows) -> {
            Metric metric = MetricRegistry.create(id);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("direction", metric.direction().name().toLowerCase(Locale.ROOT));
            entry.put("better", metric.direction().label());
            entry.put("description", metric.description());
            entry.put("images", result.metricImages().get(id));
            entry.put("seconds", result.metricNanos().getOrDefault(id, 0L) / 1e9);
            List<Map<String, Object>> methods = new ArrayList<>();
            for (Statistics.Summary s : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("method", s.method());
                m.put("mean", s.mean());
                m.put("ci95", List.of(s.low(), s.high()));
                m.put("rank", s.rank());
                methods.add(m);
            }
            entry.put("methods", methods);
            metrics.put(id, entry);
        });
        summary.put("metrics", metrics);
        summary.put("verdict", result.verdict());
        Map<String, Double> explainSeconds = new LinkedHashMap<>();
        result.methodNanos().forEach((id, nanos) -> explainSeconds.put(id, nanos / 1e9 / result.samples().size()));
        summary.put("explain_seconds_per_image", explainSeconds);
        summary.put("images_scored", result.imagesScored());
        return summary;
    }

    private static List<Path> charts(Evaluation.Result result, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        for (String curve : List.of(DeletionInsertionCurves.DELETION, DeletionInsertionCurves.INSERTION)) {
            List<EvaluationCharts.MeanCurve> means = meanCurves(result.curves(), curve);
            if (!means.isEmpty()) {
                Path png = out.resolve(OutputFiles.curvesFigure(curve));
                EvaluationCharts.curves(capitalised(curve) + " curves: mean target score over " + result.samples().size()
                        + " images (controls grey, dotted)", "share of pixels " + (curve.equals("deletion") ? "removed" : "revealed"),
                        "target score", means, Controls.all().keySet(), png);
                written.add(png);
            }
        }
        for (Map.Entry<String, List<Statistics.Summary>> entry : result.summaries().entrySet()) {
            Metric metric = MetricRegistry.create(entry.getKey());
            if (metric.direction() == Direction.DESCRIPTOR) {
                continue;
            }
            List<EvaluationCharts.Interval> intervals = entry.getValue().stream()
                    .sorted(Comparator.comparingDouble(s -> metric.direction() == Direction.HIGHER ? -s.mean() : s.mean()))
                    .map(s -> new EvaluationCharts.Interval(s.method(), s.mean(), s.low(), s.high())).toList();
            Path png = out.resolve(OutputFiles.rankingFigure(metric.id()));
            EvaluationCharts.ranking(metric.id() + " (" + metric.direction().label() + "), mean with 95% bootstrap interval, "
                    + result.metricImages().get(metric.id()) + " images", metric.id(), intervals, png);
            written.add(png);
        }
        for (String curve : List.of(ModelRandomization.SPEARMAN_CURVE, ModelRandomization.SSIM_CURVE)) {
            Map<String, double[]> byMethod = new LinkedHashMap<>();
            TreeMap<Integer, String> labels = new TreeMap<>();
            meanCurves(result.curves(), curve).forEach(c -> byMethod.put(c.name(), c.mean()));
            result.curves().stream().filter(p -> p.curve().equals(curve)).forEach(p -> labels.put(p.step(), p.label()));
            if (!byMethod.isEmpty()) {
                Path png = out.resolve(OutputFiles.sanityFigure(curve));
                EvaluationCharts.cascade("Cascading model randomization: " + (curve.endsWith("spearman") ? "Spearman of |map|" : "SSIM")
                        + " with the trained model's map, mean over images", curve.endsWith("spearman") ? "Spearman" : "SSIM",
                        List.copyOf(labels.values()), byMethod, Controls.all().keySet(), png);
                written.add(png);
            }
        }
        return written;
    }

    /** Per method, the mean over images of a curve at each step, with 1.96 standard errors. */
    static List<EvaluationCharts.MeanCurve> meanCurves(List<CurvePoint> points, String curve) {
        Map<String, TreeMap<Integer, List<CurvePoint>>> byMethod = new LinkedHashMap<>();
        for (CurvePoint p : points) {
            if (p.curve().equals(curve)) {
                byMethod.computeIfAbsent(p.method(), k -> new TreeMap<>()).computeIfAbsent(p.step(), k -> new ArrayList<>()).add(p);
            }
        }
        List<EvaluationCharts.MeanCurve> out = new ArrayList<>();
        byMethod.forEach((method, steps) -> {
            double[] x = new double[steps.size()];
            double[] mean = new double[steps.size()];
            double[] half = new double[steps.size()];
            int k = 0;
            for (List<CurvePoint> at : steps.values()) {
                double[] y = at.stream().mapToDouble(CurvePoint::y).toArray();
                double m = Arrays.stream(y).average().orElseThrow();
                double variance = y.length < 2 ? 0 : Arrays.stream(y).map(v -> (v - m) * (v - m)).sum() / (y.length - 1);
                x[k] = at.get(0).x();
                mean[k] = m;
                half[k] = 1.96 * Math.sqrt(variance / y.length);
                k++;
            }
            out.add(new EvaluationCharts.MeanCurve(method, x, mean, half));
        });
        return out;
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
