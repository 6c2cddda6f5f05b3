package org.xaiworkbench.cli;

import org.xaiworkbench.data.OutputFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.RunFolder;
import org.xaiworkbench.evaluate.EvaluationPlan;
import org.xaiworkbench.evaluate.ResumableChunks;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.MethodSettings;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.ModelBundle;
import org.xaiworkbench.scale.DatasetMaps;
import org.xaiworkbench.scale.SparkChunks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Attribution maps of many images as {@code .npy}, without figures: CIFAR-10 test images or a folder of pictures,
 * chunk by chunk in one JVM or on Spark, resumable.
 */
@Command(name = "explain-dataset", mixinStandardHelpOptions = true,
        description = "Every method's map of many images as .npy files (no figures), in one JVM or on Apache Spark, resumable.")
public final class ExplainDatasetCommand implements Callable<Integer> {
    static final String INDEX_FILE = OutputFiles.EXPLAINED;

    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--images", defaultValue = "10000",
            description = "first N test images (after --first), or at most N pictures of --images-dir, default ${DEFAULT-VALUE}")
    int images;
    @Option(names = "--first", defaultValue = "0", description = "index of the first test image or picture, default ${DEFAULT-VALUE}")
    int first;
    @Option(names = "--images-dir", paramLabel = "DIR", description = "explain your own JPEG/PNG pictures in DIR instead of test images")
    Path imagesDir;
    @Option(names = "--methods", split = ",", description = "comma list of methods, or 'all' (the default: every registered one)")
    List<String> methods;
    @Option(names = "--set", paramLabel = "METHOD.KEY=VALUE", description = "a method's option, repeatable")
    List<String> set;
    @Option(names = "--background", defaultValue = "32",
            description = "training images as background of gradient-shap and deep-shap, default ${DEFAULT-VALUE}")
    int background;
    @Option(names = "--chunk", defaultValue = "10", description = "images per chunk (the unit a resume goes on from), default ${DEFAULT-VALUE}")
    int chunk;
    @Option(names = "--spark", paramLabel = "MASTER", description = "explain on Apache Spark: local[N], spark://host:port, or submit")
    String spark;
    @Option(names = "--partitions", defaultValue = "0", description = "Spark tasks at a time (0: the master's default), default ${DEFAULT-VALUE}")
    int partitions;
    @Option(names = "--resume", description = "go on from the chunks a killed run of the same settings finished (kept in <out>.resume)")
    boolean resume;
    @Option(names = "--out", defaultValue = "outputs/explain-dataset", description = "default ${DEFAULT-VALUE}")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (spark != null) {
            SparkChunks.checkMaster(spark);
        }
        RunImages.check(images, first, imagesDir);
        if (chunk <= 0 || partitions < 0) {
            throw new IllegalArgumentException("--chunk must be > 0 and --partitions >= 0, got --chunk " + chunk + " --partitions "
                    + partitions);
        }
        List<String> methodIds = EvaluateCommand.choose(methods, AttributionRegistry.ids(), "--methods");
        List<String> assignments = set == null ? List.of() : set;
        MethodSettings settings = AttributionRegistry.settings(assignments, null);
        GraphClassifier classifier = modelOption.loadGraph(ModelOption.HINT, "explain-dataset");
        RunImages.Chosen chosen = RunImages.choose(classifier, modelOption, imagesDir, first, images, "explain-dataset");
        List<Sample> samples = chosen.samples();
        INDArray backgroundImages = TrainingBackground.forModel(background, "--background", classifier);
        Map<String, Map<String, Object>> methodOptions = new LinkedHashMap<>();
        AttributionRegistry.createApplicable(methodIds, new MethodContext(classifier, backgroundImages, settings),
                        EvaluateCommand.namesEach(methods), skipped -> System.err.println("warning: " + skipped))
                .forEach((id, method) -> methodOptions.put(id, method.describeOptions()));
        EvaluationPlan plan = DatasetMaps.plan(List.copyOf(methodOptions.keySet()), assignments, EvaluationPlan.Background.of(backgroundImages));

        Path keeping = keepingFolder();
        ResumableChunks.open(keeping, fingerprint(chosen, methodOptions), resume, System.err::println);
        int chunkCount = (samples.size() + chunk - 1) / chunk;
        List<Integer> todo = IntStream.range(0, chunkCount).filter(i -> !DatasetMaps.done(keeping, i)).boxed().toList();
        if (todo.size() < chunkCount) {
            System.err.printf(Locale.ROOT, "explain-dataset: %d of %d chunks taken from the killed run in %s%n", chunkCount - todo.size(),
                    chunkCount, keeping);
        }
        long start = System.nanoTime();
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("explain-dataset").setInitialMax(samples.size())
                .setUnit(" images", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setMaxRenderedLength(100);
        try (ProgressBar progress = bar.build()) {
            progress.stepBy(samples.size() - todo.stream().mapToInt(index -> part(samples, index).size()).sum());
            if (spark == null) {
                EvaluationPlan.Built built = plan.build(classifier);
                for (int index : todo) {
                    List<Sample> part = part(samples, index);
                    DatasetMaps.save(keeping, index, part, chosen.names(), DatasetMaps.explain(built.suite(), part));
                    progress.stepBy(part.size());
                }
            } else if (!todo.isEmpty()) {
                ModelBundle model = modelOption.bundle();
                try (JavaSparkContext context = SparkChunks.start(spark, "explain-dataset")) {
                    SparkChunks runner = new SparkChunks(context, partitions);
                    runner.run(model, plan, samples, chunk, todo, DatasetMaps.EXPLAIN, (index, maps) -> {
                        List<Sample> part = part(samples, index);
                        try {
                            DatasetMaps.save(keeping, index, part, chosen.names(), maps);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        progress.stepBy(part.size());
                    });
                }
            }
        }
        try (RunFolder run = RunFolder.begin(out, "--out", entry -> true)) {
            Path maps = DatasetMaps.mapsFolder(keeping);
            if (Files.isDirectory(maps)) {
                try (Stream<Path> folders = Files.list(maps)) {
                    for (Path folder : folders.toList()) {
                        Files.move(folder, run.path().resolve(folder.getFileName()));
                    }
                }
            }
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("weights", modelOption.toString());
            index.put("methods", List.copyOf(methodOptions.keySet()));
            index.put("method_options", methodOptions);
            index.put("runner", spark == null ? "one JVM" : "Spark " + spark);
            index.put("seconds", (System.nanoTime() - start) / 1e9);
            index.put("finished", Instant.now().toString());
            List<Map<String, Object>> explained = new ArrayList<>();
            for (Sample sample : samples) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", chosen.names().name(sample));
                entry.put("trueClass", chosen.names().truth(sample));
                entry.put("explainedClass", classifier.classNames().get(sample.target()));
                explained.add(entry);
            }
            index.put("images", explained);
            AtomicFiles.writeString(run.path().resolve(INDEX_FILE), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(index));
            run.commit();
        }
        RunFolder.deleteTree(keeping);
        System.out.printf(Locale.ROOT, "wrote %s: %d images x %d methods as .npy, and %s%n", out, samples.size(), methodOptions.size(),
                INDEX_FILE);
        return 0;
    }

    private List<Sample> part(List<Sample> samples, int index) {
        return samples.subList(index * chunk, Math.min(samples.size(), (index + 1) * chunk));
    }

    private Path keepingFolder() {
        return RunImages.resumeFolder(out);
    }

    private Map<String, String> fingerprint(RunImages.Chosen chosen, Map<String, Map<String, Object>> methodOptions) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> fingerprint = new LinkedHashMap<>();
        fingerprint.put("model", modelOption.fingerprint());
        fingerprint.put("images", RunImages.fingerprint(chosen, first, imagesDir));
        fingerprint.put("methods", json.writeValueAsString(methodOptions));
        fingerprint.put("background", String.valueOf(background));
        fingerprint.put("chunk", String.valueOf(chunk));
        return fingerprint;
    }
}
