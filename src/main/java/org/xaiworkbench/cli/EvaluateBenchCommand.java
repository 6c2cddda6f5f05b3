package org.xaiworkbench.cli;

import org.nd4j.linalg.api.buffer.DataType;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.EvaluationConfig;
import org.xaiworkbench.evaluate.Metric;
import org.xaiworkbench.evaluate.MetricRegistry;
import org.xaiworkbench.evaluate.MethodSuite;
import org.xaiworkbench.evaluate.Probe;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.graph.GraphClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Seconds per image × method of each metric, in steady state; a reference is timed beside it only by a peer script, in turns. */
@Command(name = "bench-evaluate", mixinStandardHelpOptions = true,
        description = "Time each evaluation metric per image and method (default: saliency maps of the first 10 test images).")
public final class EvaluateBenchCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--images", defaultValue = "10", description = "first N test images, default ${DEFAULT-VALUE}")
    int images;
    @Option(names = "--methods", split = ",", defaultValue = "saliency", description = "methods whose maps are scored, default ${DEFAULT-VALUE}")
    List<String> methods;
    @Option(names = "--metrics", split = ",", description = "only these metrics, default every one")
    List<String> metricIds;
    @Option(names = "--rounds", defaultValue = "3", description = "timed rounds per metric (median reported), default ${DEFAULT-VALUE}")
    int rounds;
    @Option(names = "--jit-warmup-max-seconds", defaultValue = "300",
            description = "every metric runs in rounds until the JIT compiler is quiet, at most this long, default ${DEFAULT-VALUE}")
    double jitWarmupMaxSeconds;

    @Override
    public Integer call() throws IOException {
        if (images <= 0 || images > 10_000 || rounds <= 0 || !(jitWarmupMaxSeconds >= 0 && jitWarmupMaxSeconds <= 3600)) {
            throw new IllegalArgumentException("--images must be in 1..10000, --rounds > 0 and --jit-warmup-max-seconds in 0..3600, got "
                    + images + ", " + rounds + ", " + jitWarmupMaxSeconds);
        }
        List<Metric> metrics = (metricIds == null ? MetricRegistry.ids() : metricIds).stream().map(String::strip)
                .map(MetricRegistry::create).toList();
        GraphClassifier classifier = modelOption.loadGraph(ModelOption.HINT, "bench-evaluate (model randomization re-initialises layers)");
        MethodSuite suite = new MethodSuite(methods.stream().map(String::strip).toList(), MethodContext.of(classifier), false,
                DataType.FLOAT);
        List<Sample> samples = RunImages.testSamples(classifier, 0, images);
        Map<String, double[][]> maps = new LinkedHashMap<>();
        List<double[]> pixels = samples.stream().map(Sample::pixels).toList();
        int[] targets = samples.stream().mapToInt(Sample::target).toArray();
        for (String id : suite.ids()) {
            maps.put(id, suite.explain(id, classifier, pixels, samples.get(0), targets));
        }
        EvaluationConfig config = EvaluationConfig.defaults().withSubsamples(images, images);
        Probe probe = new Probe(classifier, config.batch(), DataType.FLOAT);
        System.out.println("backend: " + Backend.describe());
        JitWarmup.Result warm = JitWarmup.ofThisJvm().run(() -> {
            for (Metric metric : metrics) {
                metric.values(new EvaluationBatch(samples, maps, suite, probe, config));
            }
        }, JitWarmup.QUIET_FRACTION, jitWarmupMaxSeconds);
        System.out.println(warm.describe());
        System.out.printf(Locale.ROOT, "%-26s %16s%n", "metric", "s / image·method");
        int cells = images * suite.ids().size();
        for (Metric metric : metrics) {
            List<Long> nanos = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                // a fresh run-wide store, so that model randomization pays for drawing its models as a run does
                EvaluationBatch batch = new EvaluationBatch(samples, maps, suite, probe, config);
                long start = System.nanoTime();
                metric.values(batch);
                nanos.add(System.nanoTime() - start);
            }
            System.out.printf(Locale.ROOT, "%-26s %16.4f%n", metric.id(), ExplainBenchCommand.median(nanos) / 1e9 / cells);
        }
        return 0;
    }
}
