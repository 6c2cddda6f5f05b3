package org.xaiworkbench.cli;

import org.nd4j.linalg.api.buffer.DataType;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Our attributions against the reference implementations' on the folders {@code src/peer/method_parity.py}
 * wrote: per model a model file, pictures, the reference's classes and one METHOD.npy per method.
 * Computed in double, as the references are, with each method's default options.
 */
@Command(name = "method-check", mixinStandardHelpOptions = true,
        description = "Compare our attributions with Captum's, pytorch-grad-cam's and Zennit's on the folders src/peer/method_parity.py wrote.")
public final class MethodCheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "a folder with one subfolder per model")
    Path dir;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "largest max |ours - reference| / max |reference| that passes; default ${DEFAULT-VALUE}")
    double tolerance;

    /** Runs with their own seeds on each side for a method whose draws cannot be shared with the reference's. */
    public static final int SEEDED_RUNS = 20;

    /**
     * One method on one model. For a deterministic method the error is max |ours - reference| / max
     * |reference| and the threshold the tolerance; for a sampled one (a METHOD.se.npy beside it) the
     * error is the largest |mean ours - mean reference| over the standard error of that difference, and
     * the threshold 3 standard errors, Bonferroni-corrected over the values compared.
     */
    public record Result(String model, String method, double error, double threshold, boolean sampled, double seconds) {
        public boolean passed() {
            return error <= threshold;
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("--tolerance must be > 0, got " + tolerance);
        }
        List<Result> results = new ArrayList<>();
        for (Path folder : folders(dir)) {
            results.addAll(check(folder, tolerance));
        }
        System.out.printf(Locale.ROOT, "%-10s %-24s %12s %10s %8s%n", "model", "method", "error", "threshold", "seconds");
        long failed = 0;
        for (Result r : results) {
            failed += r.passed() ? 0 : 1;
            System.out.printf(Locale.ROOT, "%-10s %-24s %12s %10s %8.2f  %s%n", r.model(), r.method(),
                    r.sampled() ? String.format(Locale.ROOT, "z %.2f", r.error()) : String.format(Locale.ROOT, "%.2e", r.error()),
                    r.sampled() ? String.format(Locale.ROOT, "z %.2f", r.threshold()) : String.format(Locale.ROOT, "%.0e", r.threshold()),
                    r.seconds(), r.passed() ? "ok" : "FAILED");
        }
        System.out.printf(Locale.ROOT, "%d passed, %d failed (errors relative to the reference's largest value; z: means over %d seeds "
                + "a side, in standard errors of their difference)%n", results.size() - failed, failed, SEEDED_RUNS);
        return failed == 0 ? 0 : 1;
    }

    private static List<Path> folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder");
        }
        List<Path> folders;
        try (Stream<Path> children = Files.list(dir)) {
            folders = children.filter(f -> Files.isRegularFile(f.resolve("input.npy"))).sorted().toList();
        }
        if (folders.isEmpty()) {
            throw new DataException(dir + ": no folders with input.npy to check");
        }
        return folders;
    }

    /**
     * Every METHOD.npy of one folder whose name is one of our method ids, against ours with the options of
     * the folder's settings.txt (one --set assignment per line) if there is one.
     */
    public static List<Result> check(Path folder, double tolerance) throws IOException {
        Path modelFile = Stream.of("model.onnx", "model.npz").map(folder::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new DataException(folder + ": neither model.onnx nor model.npz"));
        if (!Files.isRegularFile(folder.resolve("targets.npy"))) {
            throw new DataException(folder + ": targets.npy is missing");
        }
        Path settingsFile = folder.resolve("settings.txt");
        List<String> settings = Files.isRegularFile(settingsFile)
                ? Files.readAllLines(settingsFile).stream().map(String::strip).filter(line -> !line.isEmpty()).toList() : List.of();
        ImageClassifier loaded = ModelFiles.load(modelFile).classifier();
        if (!(loaded instanceof GraphClassifier graph)) {
            throw new DataException(modelFile + ": the model did not load as a layer graph");
        }
        GraphClassifier model = new GraphClassifier(graph.layerGraph(), graph.normalization(), graph.classNames(), DataType.DOUBLE);
        INDArray input = NpyFiles.read(folder.resolve("input.npy")).castTo(DataType.DOUBLE);
        int[] targets = NpyFiles.read(folder.resolve("targets.npy")).toIntVector();
        List<Result> results = new ArrayList<>();
        for (String id : AttributionRegistry.ids()) {
            Path reference = folder.resolve(id + ".npy");
            if (!Files.isRegularFile(reference)) {
                continue;
            }
            long start = System.nanoTime();
            INDArray theirs = NpyFiles.read(reference).castTo(DataType.DOUBLE);
            Path standardError = folder.resolve(id + ".se.npy");
            if (Files.isRegularFile(standardError)) {
                INDArray[] ours = seededMeanAndError(model, id, settings, input, targets);
                double[] z = zScores(ours[0], ours[1], theirs, NpyFiles.read(standardError).castTo(DataType.DOUBLE));
                results.add(new Result(folder.getFileName().toString(), id, Arrays.stream(z).max().orElse(0),
                        bonferroniThreshold(distinctValues(theirs)), true, (System.nanoTime() - start) / 1e9));
            } else {
                INDArray ours = AttributionRegistry.create(id, context(model, settings, List.of())).attribute(input, Target.perImage(targets))
                        .attributions();
                results.add(new Result(folder.getFileName().toString(), id, ZooCheckCommand.relativeError(ours.castTo(DataType.DOUBLE), theirs),
                        tolerance, false, (System.nanoTime() - start) / 1e9));
            }
        }
        return results;
    }

    private static MethodContext context(GraphClassifier model, List<String> settings, List<String> more) {
        List<String> all = new ArrayList<>(settings);
        all.addAll(more);
        return MethodContext.of(model).withSettings(AttributionRegistry.settings(all, null));
    }

    /** Our mean map over seeds 1..SEEDED_RUNS and its standard error. */
    private static INDArray[] seededMeanAndError(GraphClassifier model, String id, List<String> settings, INDArray input, int[] targets) {
        INDArray sum = null;
        INDArray squares = null;
        for (int seed = 1; seed <= SEEDED_RUNS; seed++) {
            INDArray run = AttributionRegistry.create(id, context(model, settings, List.of(id + ".seed=" + seed)))
                    .attribute(input, Target.perImage(targets)).attributions().castTo(DataType.DOUBLE);
            sum = sum == null ? run.dup() : sum.addi(run);
            squares = squares == null ? run.mul(run) : squares.addi(run.mul(run));
        }
        INDArray mean = sum.div(SEEDED_RUNS);
        INDArray variance = squares.sub(mean.mul(mean).mul(SEEDED_RUNS)).div(SEEDED_RUNS - 1);
        INDArray error = Transforms.sqrt(Transforms.max(variance, 0.0), false).div(Math.sqrt(SEEDED_RUNS));
        return new INDArray[]{mean, error};
    }

    /** |a - b| / sqrt(se_a^2 + se_b^2) per value; 0 where both are exact and equal, infinite where exact and not. */
    static double[] zScores(INDArray meanA, INDArray errorA, INDArray meanB, INDArray errorB) {
        if (!Arrays.equals(meanA.shape(), meanB.shape())) {
            return new double[]{Double.POSITIVE_INFINITY};
        }
        double[] a = meanA.dup().ravel().toDoubleVector();
        double[] b = meanB.dup().ravel().toDoubleVector();
        double[] sa = errorA.dup().ravel().toDoubleVector();
        double[] sb = errorB.dup().ravel().toDoubleVector();
        double[] z = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double spread = Math.sqrt(sa[i] * sa[i] + sb[i] * sb[i]);
            double gap = Math.abs(a[i] - b[i]);
            z[i] = spread > 0 ? gap / spread : gap <= 1e-12 * Math.max(Math.abs(a[i]), 1) ? 0 : Double.POSITIVE_INFINITY;
        }
        return z;
    }

    /** The number of different values per image of the reference's first channel: one per superpixel, summed over images. */
    private static int distinctValues(INDArray reference) {
        int count = 0;
        for (int i = 0; i < reference.size(0); i++) {
            count += (int) Arrays.stream(reference.get(NDArrayIndex.point(i), NDArrayIndex.point(0)).dup().ravel().toDoubleVector())
                    .distinct().count();
        }
        return Math.max(count, 1);
    }

    /** Three standard errors (two-sided 0.27 %), held over {@code comparisons} values at once. */
    static double bonferroniThreshold(int comparisons) {
        return new NormalDistribution().inverseCumulativeProbability(1 - 0.0027 / 2 / comparisons);
    }
}
