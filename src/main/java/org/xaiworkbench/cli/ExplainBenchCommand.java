package org.xaiworkbench.cli;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.ImageClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Seconds per image of every registered method; `make bench-peer*` times Captum beside it, in turns. */
@Command(name = "bench-explain", mixinStandardHelpOptions = true,
        description = "Time every attribution method per 32x32 image, alone and in a batch: the median call after warm-up.")
public final class ExplainBenchCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--methods", split = ",", description = "comma list (default: all registered)")
    List<String> methods;
    @Option(names = "--set", paramLabel = "METHOD.KEY=VALUE", description = "a method's option, repeatable, as in explain")
    List<String> set;
    @Option(names = "--batch", defaultValue = "16", description = "images per call in the batched measurement, default ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--repeats", defaultValue = "5", description = "timed calls per measurement at least, default ${DEFAULT-VALUE}")
    int repeats;
    @Option(names = "--seconds", defaultValue = "3", description = "timed calls go on for at least this long per measurement;"
            + " the median call is reported, since single calls here swing by 2x, default ${DEFAULT-VALUE}")
    double seconds;
    @Option(names = "--warmup-seconds", defaultValue = "3", description = "untimed calls first, for at least this long per measurement"
            + " (after the JIT warm-up below), default ${DEFAULT-VALUE}")
    double warmupSeconds;

    @Option(names = "--jit-warmup-max-seconds", defaultValue = "300", description = "before any timing, every method runs on"
            + " both inputs in rounds until the JIT compiler was busy for at most 1%% of a round, or for this long at most,"
            + " default ${DEFAULT-VALUE}")
    double jitWarmupMaxSeconds;

    /** An hour per measurement bounds the flags well below where nanosecond deadlines overflow. */
    private static final int MAX_SECONDS = 3600;

    /** Seconds per image, one image per call and in a batch. */
    public record Timing(double single, double batched) {
    }

    @Override
    public Integer call() throws IOException {
        if (batch <= 0 || repeats <= 0) {
            throw new IllegalArgumentException("--batch and --repeats must be > 0, got " + batch + ", " + repeats);
        }
        if (!(warmupSeconds >= 0 && warmupSeconds <= MAX_SECONDS) || !(seconds >= 0 && seconds <= MAX_SECONDS)
                || !(jitWarmupMaxSeconds >= 0 && jitWarmupMaxSeconds <= MAX_SECONDS)) {
            throw new IllegalArgumentException("--warmup-seconds, --seconds and --jit-warmup-max-seconds must be in 0.."
                    + MAX_SECONDS + ", got " + warmupSeconds + ", " + seconds + ", " + jitWarmupMaxSeconds);
        }
        List<String> ids = methods == null || methods.isEmpty() ? AttributionRegistry.ids() : methods.stream().map(String::strip).toList();
        ImageClassifier classifier = modelOption.load(ModelOption.HINT);
        int[] input = classifier.inputShape();
        Nd4j.getRandom().setSeed(42);
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, input[0], input[1], input[2]);
        INDArray one = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
        System.out.println("backend: " + Backend.describe());
        System.out.printf(Locale.ROOT, "%-22s %14s %14s%n", "method", "s/img (1)", "s/img (" + batch + ")");
        MethodContext context = MethodContext.of(classifier).withSettings(AttributionRegistry.settings(set == null ? List.of() : set, null));
        List<Attribution> attributions = ids.stream().map(id -> AttributionRegistry.create(id, context)).toList();
        // Every method on both inputs, in rounds, until the JIT compiler is done with the code they share;
        // timed in the compiler's wake, single-image saliency came out at 24-31 ms instead of 11.
        JitWarmup.Result warm = JitWarmup.ofThisJvm().run(() -> {
            for (Attribution method : attributions) {
                method.attribute(one, Target.predicted());
                method.attribute(images, Target.predicted());
            }
        }, JitWarmup.QUIET_FRACTION, jitWarmupMaxSeconds);
        System.out.println(warm.describe());
        for (int m = 0; m < ids.size(); m++) {
            String id = ids.get(m);
            Attribution method = attributions.get(m);
            Timing timing = new Timing(secondsPerImage(method, one), secondsPerImage(method, images));
            System.out.printf(Locale.ROOT, "%-22s %14.4f %14.4f%n", id, timing.single(), timing.batched());
        }
        return 0;
    }

    private double secondsPerImage(Attribution method, INDArray x) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            method.attribute(x, Target.predicted());
        } while (System.nanoTime() - warmupEnd < 0);
        List<Long> calls = new ArrayList<>();
        long timedEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (calls.size() < repeats || System.nanoTime() - timedEnd < 0) {
            long start = System.nanoTime();
            method.attribute(x, Target.predicted());
            calls.add(System.nanoTime() - start);
        }
        return median(calls) / 1e9 / x.size(0);
    }

    static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2.0;
    }
}
