package org.xaiworkbench.cli;

import org.xaiworkbench.data.OutputFiles;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.data.RunFolder;
import org.xaiworkbench.evaluate.ComparisonStudy;
import org.xaiworkbench.evaluate.Evaluation;
import org.xaiworkbench.evaluate.EvaluationConfig;
import org.xaiworkbench.evaluate.EvaluationPlan;
import org.xaiworkbench.evaluate.MetricSettings;
import org.xaiworkbench.evaluate.EvaluationOutputs;
import org.xaiworkbench.evaluate.ResumableChunks;
import org.xaiworkbench.evaluate.ImageNames;
import org.xaiworkbench.evaluate.Metric;
import org.xaiworkbench.evaluate.MetricRegistry;
import org.xaiworkbench.evaluate.MethodSuite;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.evaluate.Statistics;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.MethodSettings;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.ModelBundle;
import org.xaiworkbench.scale.SparkChunks;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * Scores the chosen methods and the control maps with every metric over the first test images, or over your
 * own pictures, with the comparison study's figures.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Which explanation to trust: faithfulness metrics, sanity checks and the comparison study over CIFAR-10 test "
                + "images or your own pictures (--images-dir).")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--images", defaultValue = "100",
            description = "first N test images (after --first), or at most N pictures of --images-dir, default ${DEFAULT-VALUE}")
    int images;
    @Option(names = "--first", defaultValue = "0",
            description = "index of the first test image, or of the first picture in file-name order, default ${DEFAULT-VALUE}")
    int first;
    @Option(names = "--images-dir", paramLabel = "DIR",
            description = "score your own JPEG/PNG pictures in DIR instead of CIFAR-10 test images; each is explained for the class "
                    + "the model predicts, which metrics.csv also gives as its label")
    Path imagesDir;
    @Option(names = "--methods", split = ",", description = "comma list of methods, or 'all' for every registered one (default: "
            + "nine, the common method of each family, none that needs hundreds of forward passes per image)")
    List<String> methods;
    @Option(names = "--set", paramLabel = "NAME.KEY=VALUE",
            description = "a method's or a metric's option, repeatable, e.g. --set integrated-gradients.steps=100, "
                    + "--set deletion.steps=64, --set road.fractions=0.2,0.4 (metrics: see the README)")
    List<String> set;
    @Option(names = "--metrics", split = ",", description = "comma list of metrics (default: all)")
    List<String> metrics;
    @Option(names = "--controls", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "add the random, edge and centre control maps (default: on)")
    boolean controls;
    @Option(names = "--sensitivity-images", defaultValue = "20", description = "images scored for max-sensitivity, default ${DEFAULT-VALUE}")
    int sensitivityImages;
    @Option(names = "--randomization-images", defaultValue = "20", description = "images of the sanity checks, default ${DEFAULT-VALUE}")
    int randomizationImages;
    @Option(names = "--bootstrap", defaultValue = "1000", description = "bootstrap resamples, default ${DEFAULT-VALUE}")
    int bootstrap;
    @Option(names = "--seed", defaultValue = "0", description = "seed of every random draw, default ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--batch", defaultValue = "128", description = "images per forward call, default ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--chunk", defaultValue = "10",
            description = "images per evaluation batch (each explained alone, their perturbations scored together), default ${DEFAULT-VALUE}")
    int chunk;
    @Option(names = "--background", defaultValue = "32",
            description = "training images as background of gradient-shap and deep-shap (as make explain), default ${DEFAULT-VALUE}")
    int background;
    @Option(names = "--study-images", defaultValue = "2",
            description = "images of the comparison study's figures (SmoothGrad grid, top-3, counterfactual), default ${DEFAULT-VALUE}")
    int studyImages;
    @Option(names = "--box", split = ",",
            description = "counterfactual region top,left,height,width (default: the 8x8 window occlusion ranks most important)")
    int[] box;
    @Option(names = "--npy", description = "also write the scored attributions as .npy under <out>/attributions/<method>/")
    boolean npy;
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "score the images on Apache Spark: local[N] (N task threads in this JVM), spark://host:port, or submit "
                    + "(the master spark-submit sets); the numbers equal a run without it")
    String spark;
    @Option(names = "--partitions", defaultValue = "0",
            description = "Spark tasks at a time (0: the master's default parallelism), default ${DEFAULT-VALUE}")
    int partitions;
    @Option(names = "--resume", description = "go on from the chunks a killed run of the same settings finished (kept in <out>.resume)")
    boolean resume;
    /** The --methods value that asks for every registered method. */
    static final String ALL = "all";
    private static final String ATTRIBUTIONS = "attributions";
    private static final String STUDY = "study";

    @Option(names = "--out", defaultValue = "outputs/evaluate", description = "default ${DEFAULT-VALUE}")
    Path out;

    @Override
    public Integer call() throws IOException {
        Evaluation.Result result = run();
        System.out.println();
        for (Map.Entry<String, List<Statistics.Summary>> entry : result.summaries().entrySet()) {
            Metric metric = MetricRegistry.create(entry.getKey());
            System.out.printf(Locale.ROOT, "%s (%s; %d images): %s%n", metric.id(), metric.direction().label(),
                    result.metricImages().get(metric.id()), metric.description());
            entry.getValue().stream().sorted(Comparator.comparingInt(Statistics.Summary::rank)).forEach(s ->
                    System.out.printf(Locale.ROOT, "  %-3s %-28s %10.4f  [%.4f, %.4f]%n", s.rank() == 0 ? "" : String.valueOf(s.rank()),
                            s.method(), s.mean(), s.low(), s.high()));
        }
        System.out.printf("%nverdict: %s%n%nwrote %s%n", result.verdict(), out);
        return 0;
    }

    public Evaluation.Result run() throws IOException {
        EvaluationConfig config = config();
        List<String> methodIds = choose(methods, AttributionRegistry.evaluatedByDefault(), AttributionRegistry.ids(), "--methods");
        List<String> assignments = set == null ? List.of() : set;
        MetricSettings metricSettings = MetricRegistry.settings(assignments.stream().filter(EvaluateCommand::namesMetric).toList());
        List<Metric> chosenMetrics = choose(metrics, MetricRegistry.ids(), "--metrics").stream()
                .map(id -> MetricRegistry.create(id, metricSettings)).toList();
        RunImages.check(images, first, imagesDir);
        if (chunk <= 0 || studyImages < 0) {
            throw new IllegalArgumentException("--chunk must be > 0 and --study-images >= 0, got " + chunk + ", " + studyImages);
        }
        if (spark != null) {
            SparkChunks.checkMaster(spark);
        }
        if (spark != null && npy) {
            throw new IllegalArgumentException("--npy cannot be combined with --spark: the maps stay on the executors");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        }
        if (resume && npy) {
            throw new IllegalArgumentException("--resume cannot be combined with --npy: the maps of the chunks a killed run finished are not kept");
        }
        if (box != null && box.length != 4) {
            throw new IllegalArgumentException("--box needs top,left,height,width, got " + box.length + " numbers");
        }
        MethodSettings settings = AttributionRegistry.settings(assignments.stream().filter(a -> !namesMetric(a)).toList(), null);
        for (String method : settings.methods()) {
            if (!methodIds.contains(method)) {
                throw new IllegalArgumentException(settings.assignments(method) + ": " + method + " is not among --methods " + methodIds);
            }
        }
        GraphClassifier classifier = modelOption.loadGraph(ModelOption.HINT, "evaluate (model randomization re-initialises layers)");
        int[] inputShape = classifier.inputShape();
        for (Metric metric : chosenMetrics) {
            try {
                metric.checkInput(inputShape[0], inputShape[1], inputShape[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(metric.id() + ": " + e.getMessage(), e);
            }
        }
        RunImages.Chosen chosen = RunImages.choose(classifier, modelOption, imagesDir, first, images, "evaluate");
        List<Sample> samples = chosen.samples();
        ImageNames names = chosen.names();
        INDArray backgroundImages = TrainingBackground.forModel(background, "--background", classifier);
        MethodContext context = new MethodContext(classifier, backgroundImages, settings);
        // every method is built, and so checks its options, before anything is written
        Map<String, Map<String, Object>> methodOptions = new LinkedHashMap<>();
        AttributionRegistry.createApplicable(methodIds, context, namesEach(methods),
                        skipped -> System.err.println("warning: " + skipped))
                .forEach((id, method) -> methodOptions.put(id, method.describeOptions()));
        EvaluationPlan plan = new EvaluationPlan(List.copyOf(methodOptions.keySet()),
                assignments.stream().filter(a -> !namesMetric(a)).toList(), controls, chosenMetrics.stream().map(Metric::id).toList(),
                assignments.stream().filter(EvaluateCommand::namesMetric).toList(), config, EvaluationPlan.Background.of(backgroundImages));
        EvaluationPlan.Built built = plan.build(classifier);
        MethodSuite suite = built.suite();
        Evaluation evaluation = built.evaluation();
        ComparisonStudy study = new ComparisonStudy(classifier, suite, box, names);
        study.checkBox(samples.get(0));
        long start = System.nanoTime();
        Evaluation.Result result;
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(evaluation.progressUnits(samples.size()))
                .setUnit(" image-steps", 1).setStyle(ProgressBarStyle.ASCII).setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(1000).setMaxRenderedLength(110);
        try (RunFolder runFolder = RunFolder.begin(out, "--out", EvaluateCommand::writes)) {
            Path npyDir = runFolder.path().resolve(ATTRIBUTIONS);
            ResumableChunks chunks = ResumableChunks.open(resumeFolder(), fingerprint(chosen, methodOptions, chosenMetrics, config),
                    resume, System.err::println);
            int chunkCount = (samples.size() + chunk - 1) / chunk;
            int kept = 0;
            try (ProgressBar progress = bar.build()) {
                if (spark != null) {
                    List<Integer> todo = IntStream.range(0, chunkCount).filter(i -> !chunks.holds(i)).boxed().toList();
                    kept = chunkCount - todo.size();
                    for (int index = 0; index < chunkCount; index++) {
                        if (!todo.contains(index)) {
                            progress.stepBy(chunkUnits(evaluation, samples.size(), index));
                        }
                    }
                    scoreOnSpark(plan, samples, todo, chunks, index -> {
                        progress.setExtraMessage("spark");
                        progress.stepBy(chunkUnits(evaluation, samples.size(), index));
                    });
                }
                boolean onSpark = spark != null;
                result = evaluation.run(samples, chunk, new Evaluation.Listener() {
                    @Override
                    public void explained(Sample sample, String method, double[] map) {
                        if (npy) {
                            long[] shape = map.length == sample.pixelCount() ? new long[]{1, 1, sample.height(), sample.width()}
                                    : new long[]{1, sample.channels(), sample.height(), sample.width()};
                            try {
                                NpyFiles.write(npyDir.resolve(method).resolve(names.name(sample) + ".npy"),
                                        HostValues.array(map, shape, DataType.FLOAT));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }

                    @Override
                    public void progress(String what, int count) {
                        if (!onSpark) {
                            progress.setExtraMessage(what);
                            progress.stepBy(count);
                        }
                    }
                }, chunks);
            }
            if (spark == null) {
                kept = chunks.resumed();
            }
            if (kept > 0) {
                System.err.printf(Locale.ROOT, "evaluate: %d of %d chunks taken from the killed run in %s%n", kept, chunkCount,
                        resumeFolder());
            }
            study.write(samples.subList(0, Math.min(studyImages, samples.size())), runFolder.path().resolve(STUDY));
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("weights", modelOption.toString());
            if (imagesDir != null) {
                // metrics.csv's image i is pictures[i - first_image]
                run.put("images_dir", imagesDir.toString());
                run.put("pictures", chosen.pictureNames());
            }
            run.put("first_image", first);
            run.put("images", samples.size());
            run.put("methods", suite.ids());
            run.put("method_options", methodOptions);
            run.put("config", config);
            run.put("metric_options", metricOptions(chosenMetrics));
            run.put("seed", seed);
            run.put("background_images", background);
            run.put("duration_seconds", (System.nanoTime() - start) / 1e9);
            run.put("finished", Instant.now().toString());
            EvaluationOutputs.write(result, run, runFolder.path());
            runFolder.commit();
            chunks.delete();
        }
        return result;
    }

    /**
     * Scores the chunks {@code todo} on Spark, saving each in {@code chunks} as its wave ends, so that the run
     * aggregates them as it does its own and a killed Spark run resumes like any other.
     */
    private void scoreOnSpark(EvaluationPlan plan, List<Sample> samples, List<Integer> todo, ResumableChunks chunks,
                              java.util.function.IntConsumer scored) throws IOException {
        if (todo.isEmpty()) {
            return;
        }
        ModelBundle model = modelOption.bundle();
        try (JavaSparkContext context = SparkChunks.start(spark, "evaluate")) {
            SparkChunks runner = new SparkChunks(context, partitions);
            System.err.printf(Locale.ROOT, "evaluate: %d chunks of %d images on Spark %s, %d tasks at a time, the model's %,d bytes "
                    + "broadcast%n", todo.size(), chunk, context.master(), runner.partitions(), model.bytes());
            runner.run(model, plan, samples, chunk, todo, SparkChunks.SCORE, (index, done) -> {
                chunks.save(index, done);
                scored.accept(index);
            });
        }
    }

    /** Progress units of chunk {@code index} of a run of {@code samples} images. */
    private long chunkUnits(Evaluation evaluation, int samples, int index) {
        int start = index * chunk;
        return evaluation.progressUnits(start, Math.min(chunk, samples - start));
    }

    private Path resumeFolder() {
        return RunImages.resumeFolder(out);
    }

    /** What a resumed run must share with the killed one, by the name its refusal gives. */
    private Map<String, String> fingerprint(RunImages.Chosen chosen, Map<String, Map<String, Object>> methodOptions, List<Metric> chosenMetrics,
                                            EvaluationConfig config) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, String> fingerprint = new LinkedHashMap<>();
        fingerprint.put("model", modelOption.fingerprint());
        fingerprint.put("images", RunImages.fingerprint(chosen, first, imagesDir));
        fingerprint.put("methods", json.writeValueAsString(methodOptions));
        fingerprint.put("controls", String.valueOf(controls));
        fingerprint.put("metrics", String.join(",", chosenMetrics.stream().map(Metric::id).toList()));
        fingerprint.put("settings", json.writeValueAsString(config));
        fingerprint.put("metric options", json.writeValueAsString(metricOptions(chosenMetrics)));
        fingerprint.put("background", String.valueOf(background));
        fingerprint.put("chunk", String.valueOf(chunk));
        return fingerprint;
    }

    /** Each metric's options as the run's record shows them; metrics without options are left out. */
    private static Map<String, Map<String, Object>> metricOptions(List<Metric> metrics) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        metrics.stream().filter(m -> !m.describeOptions().isEmpty()).forEach(m -> out.put(m.id(), m.describeOptions()));
        return out;
    }

    /** Whether a --set assignment names a metric's option group rather than a method. */
    private static boolean namesMetric(String assignment) {
        int dot = assignment.indexOf('.');
        return dot > 0 && MetricRegistry.optionGroups().contains(assignment.substring(0, dot));
    }

    /** The run-wide settings; each metric's own come from --set. */
    private EvaluationConfig config() {
        require(bootstrap > 0, "--bootstrap must be > 0", bootstrap);
        require(batch > 0, "--batch must be > 0", batch);
        require(sensitivityImages >= 0, "--sensitivity-images must be >= 0", sensitivityImages);
        require(randomizationImages >= 0, "--randomization-images must be >= 0", randomizationImages);
        return EvaluationConfig.defaults().withSubsamples(sensitivityImages, randomizationImages).withSeed(seed, bootstrap, batch);
    }

    private static void require(boolean ok, String rule, int value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ", got " + value);
        }
    }

    static List<String> choose(List<String> chosen, List<String> known, String flag) {
        return choose(chosen, known, known, flag);
    }

    /** The ids given, {@code known} for "all", {@code defaults} when none are given. */
    static List<String> choose(List<String> chosen, List<String> defaults, List<String> known, String flag) {
        if (chosen == null || chosen.isEmpty()) {
            return defaults;
        }
        if (!namesEach(chosen)) {
            return known;
        }
        List<String> ids = chosen.stream().map(String::strip).toList();
        for (String id : ids) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException(flag + ": unknown '" + id + "', expected some of " + known);
            }
        }
        return ids;
    }

    /**
     * Whether the user listed the ids one by one: then a method that refuses the model is an error, as a
     * bad option is; with "all" or the defaults it is skipped with a warning.
     */
    static boolean namesEach(List<String> chosen) {
        return chosen != null && !chosen.isEmpty() && !(chosen.size() == 1 && ALL.equals(chosen.get(0).strip()));
    }

    /** Whether {@code entry} of --out is one that evaluate writes: every run replaces them all. */
    private static boolean writes(String entry) {
        return List.of(ATTRIBUTIONS, STUDY, "attributions.partial", OutputFiles.EVALUATION_VALUES, OutputFiles.EVALUATION_CURVES,
                OutputFiles.EVALUATION_SUMMARY).contains(entry)
                || entry.matches("(ranking-.*|sanity-.*|.*-curves)\\.png");
    }
}
