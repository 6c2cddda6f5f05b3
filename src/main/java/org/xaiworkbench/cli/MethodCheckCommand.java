package org.xaiworkbench.cli;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
        description = "Compare our attributions with Captum's and pytorch-grad-cam's on the folders src/peer/method_parity.py wrote.")
public final class MethodCheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "a folder with one subfolder per model")
    Path dir;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "largest max |ours - reference| / max |reference| that passes; default ${DEFAULT-VALUE}")
    double tolerance;

    /** One method on one model: error is max |ours - reference| / max |reference|. */
    public record Result(String model, String method, double error, double seconds) {
    }

    @Override
    public Integer call() throws IOException {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("--tolerance must be > 0, got " + tolerance);
        }
        List<Result> results = new ArrayList<>();
        for (Path folder : folders(dir)) {
            results.addAll(check(folder));
        }
        System.out.printf(Locale.ROOT, "%-10s %-24s %12s %8s%n", "model", "method", "rel. error", "seconds");
        long failed = 0;
        for (Result r : results) {
            boolean passed = r.error() <= tolerance;
            failed += passed ? 0 : 1;
            System.out.printf(Locale.ROOT, "%-10s %-24s %12.2e %8.2f  %s%n", r.model(), r.method(), r.error(), r.seconds(), passed ? "ok" : "FAILED");
        }
        System.out.printf(Locale.ROOT, "%d passed, %d failed (tolerance %.0e relative)%n", results.size() - failed, failed, tolerance);
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

    /** Every METHOD.npy of one folder whose name is one of our method ids, against ours. */
    public static List<Result> check(Path folder) throws IOException {
        Path modelFile = Stream.of("model.onnx", "model.npz").map(folder::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new DataException(folder + ": neither model.onnx nor model.npz"));
        if (!Files.isRegularFile(folder.resolve("targets.npy"))) {
            throw new DataException(folder + ": targets.npy is missing");
        }
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
            INDArray ours = AttributionRegistry.create(id, MethodContext.of(model)).attribute(input, Target.perImage(targets)).attributions();
            double seconds = (System.nanoTime() - start) / 1e9;
            results.add(new Result(folder.getFileName().toString(), id,
                    ZooCheckCommand.relativeError(ours.castTo(DataType.DOUBLE), NpyFiles.read(reference).castTo(DataType.DOUBLE)), seconds));
        }
        return results;
    }
}
