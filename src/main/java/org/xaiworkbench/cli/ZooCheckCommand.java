package org.xaiworkbench.cli;


import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.io.ModelFiles;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.LayerCapture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Parity with PyTorch on real exports: each folder that {@code src/peer/zoo_export.py} wrote holds an
 * ONNX model, a picture, and PyTorch's logits and saliency for it (in float64); this loads the model
 * as a user would and compares: the logits in float (what the workbench runs) and, in double, the
 * logits and the saliency of PyTorch's predicted class, and on a ViT the token grid and gradient at our default CAM layer.
 */
@Command(name = "zoo-check", mixinStandardHelpOptions = true,
        description = "Compare our logits and saliency with PyTorch's on the ONNX exports that src/peer/zoo_export.py wrote.")
public final class ZooCheckCommand implements Callable<Integer> {
    /** Largest |ours - PyTorch's| over the largest |PyTorch's| that passes, for logits and for saliency. */
    public static final double LOGITS_TOLERANCE = 1e-4;
    public static final double SALIENCY_TOLERANCE = 1e-3;

    @Parameters(paramLabel = "DIR", description = "a folder of exports (one subfolder per model) or one export's folder")
    Path dir;

    @Option(names = "--only", split = ",", description = "check only these models (subfolder names)")
    List<String> only;

    /** One model's figures: relative errors are max |ours - theirs| / max |theirs|. */
    /** @param camError for a ViT, the error of the default CAM layer's token grid and its gradient; NaN when not checked */
    public record Result(String name, int layers, long parameters, double floatLogitsError, double logitsError, double saliencyError,
                         double camError, boolean sameClass, double seconds) {
        public boolean passed() {
            return sameClass && floatLogitsError <= LOGITS_TOLERANCE && logitsError <= LOGITS_TOLERANCE && saliencyError <= SALIENCY_TOLERANCE
                    && (Double.isNaN(camError) || camError <= SALIENCY_TOLERANCE);
        }
    }

    @Override
    public Integer call() throws IOException {
        List<Path> folders = exports(dir);
        if (only != null) {
            folders = folders.stream().filter(f -> only.contains(f.getFileName().toString())).toList();
        }
        if (folders.isEmpty()) {
            throw new DataException(dir + ": no exports (folders with model.onnx) to check");
        }
        System.out.printf(Locale.ROOT, "%-22s %7s %12s %12s %12s %12s %12s %6s %8s%n", "model", "layers", "parameters", "float logits",
                "logits err", "saliency err", "cam err", "class", "seconds");
        int failed = 0;
        for (Path folder : folders) {
            Result r;
            try {
                r = check(folder);
            } catch (RuntimeException | IOException e) {
                failed++;
                System.out.printf(Locale.ROOT, "%-22s FAILED: %s%n", folder.getFileName(), e.getMessage().length() > 400
                        ? e.getMessage().substring(0, 400) + "..." : e.getMessage());
                continue;
            }
            failed += r.passed() ? 0 : 1;
            System.out.printf(Locale.ROOT, "%-22s %7d %12d %12.2e %12.2e %12.2e %12s %6s %8.1f  %s%n", r.name(), r.layers(), r.parameters(),
                    r.floatLogitsError(), r.logitsError(), r.saliencyError(),
                    Double.isNaN(r.camError()) ? "-" : String.format(Locale.ROOT, "%.2e", r.camError()),
                    r.sameClass() ? "same" : "DIFF", r.seconds(), r.passed() ? "ok" : "FAILED");
        }
        System.out.printf(Locale.ROOT, "%d passed, %d failed (tolerances: logits %.0e, saliency %.0e relative)%n", folders.size() - failed,
                failed, LOGITS_TOLERANCE, SALIENCY_TOLERANCE);
        return failed == 0 ? 0 : 1;
    }

    /** The export folders under {@code dir} in name order, or {@code dir} itself if it is one. */
    public static List<Path> exports(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("model.onnx"))) {
            return List.of(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder");
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(f -> Files.isRegularFile(f.resolve("model.onnx"))).sorted().toList();
        }
    }

    public static Result check(Path folder) throws IOException {
        for (String file : List.of("model.onnx", "input.npy", "logits.npy", "saliency.npy")) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                throw new DataException(folder + ": " + file + " is missing");
            }
        }
        long start = System.nanoTime();
        ImageClassifier loaded = ModelFiles.load(folder.resolve("model.onnx")).classifier();
        if (!(loaded instanceof GraphClassifier graphModel)) {
            throw new DataException(folder + ": the model did not load as a layer graph");
        }
        // in double, as PyTorch's reference: in float32 a max-pool's near-ties flip with rounding, and PyTorch's own
        // float32 saliency differs from its float64 one by up to several percent on these random-weight models
        GraphClassifier model = new GraphClassifier(graphModel.layerGraph(), graphModel.normalization(), graphModel.classNames(),
                DataType.DOUBLE);
        INDArray input = NpyFiles.read(folder.resolve("input.npy"));
        INDArray logits = NpyFiles.read(folder.resolve("logits.npy")).castTo(DataType.DOUBLE);
        INDArray saliency = NpyFiles.read(folder.resolve("saliency.npy")).castTo(DataType.DOUBLE);
        int target = logits.argMax(1).getInt(0);
        double floatLogitsError = relativeError(graphModel.logits(input).castTo(DataType.DOUBLE), logits);
        INDArray ours = model.logits(input).castTo(DataType.DOUBLE);
        INDArray gradient = model.scoreGradient(input, new int[]{target}, Score.LOGIT).castTo(DataType.DOUBLE);
        double camError = Double.NaN;
        Path camActivation = folder.resolve("cam_activation.npy");
        if (Files.isRegularFile(camActivation)) {
            // pytorch-grad-cam's view of a ViT, taken by the exporter where its example looks: our default CAM layer must be that stream
            LayerCapture capture = model.capture(input, model.defaultCamLayer(), new int[]{target}, Score.LOGIT);
            camError = Math.max(relativeError(capture.activation().castTo(DataType.DOUBLE), NpyFiles.read(camActivation).castTo(DataType.DOUBLE)),
                    relativeError(capture.gradient().castTo(DataType.DOUBLE),
                            NpyFiles.read(folder.resolve("cam_gradient.npy")).castTo(DataType.DOUBLE)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LayerGraph graph = model.layerGraph();
        return new Result(folder.getFileName().toString(), graph.nodes().size(), graph.parameterCount(), floatLogitsError,
                relativeError(ours, logits), relativeError(gradient, saliency), camError, ours.argMax(1).getInt(0) == target, seconds);
    }

    static double relativeError(INDArray ours, INDArray theirs) {
        if (!java.util.Arrays.equals(ours.shape(), theirs.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        return Transforms.abs(ours.sub(theirs)).maxNumber().doubleValue() / Math.max(1e-30, Transforms.abs(theirs).maxNumber().doubleValue());
    }
}
