package org.xaiworkbench.cli;

import org.xaiworkbench.data.ContentHash;

import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.Normalization;
import org.xaiworkbench.data.Preprocessing;
import org.xaiworkbench.model.io.dl4j.Dl4jBackpropClassifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.io.ModelBundle;
import org.xaiworkbench.model.io.ModelFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --model} and what a model file may not say, shared by every command that explains or times a
 * model (see {@link ModelFiles}): class names and the normalization the model expects.
 */
public final class ModelOption {
    static final String HINT = "run make train";

    @Option(names = {"--model", "--weights"}, defaultValue = "weights/base",
            description = "the model: a folder (model.zip + model.json), a DL4J .zip, an .onnx, or a PyTorch .npz state dict of "
                    + "the VGG13; <name>.json or model.json beside a file may give classNames, mean and std; default ${DEFAULT-VALUE}")
    Path path;
    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "class names, one per model output, comma-separated (default: the sidecar's, else 'class 0'..)")
    List<String> classes;
    @Option(names = "--mean", split = ",", paramLabel = "M", description = "per-channel mean the model's inputs are normalized with; needs --std")
    double[] mean;
    @Option(names = "--std", split = ",", paramLabel = "S", description = "per-channel standard deviation; needs --mean")
    double[] std;
    @Option(names = "--preprocess", defaultValue = "none", paramLabel = "none|imagenet",
            description = "imagenet: pictures resized as torchvision evaluates (short side 256, centre crop 224), ImageNet's mean/std and "
                    + "1,000 class names where the model and its sidecar do not say otherwise; default ${DEFAULT-VALUE}")
    String preprocess;
    @Option(names = "--input-shape", split = ",", paramLabel = "N",
            description = "channels,height,width of the model's input, for a DL4J network that does not record it")
    int[] inputShape;

    /** What identifies the model of a run, as JSON: its files' hash and every flag that changes how it reads pictures. */
    String fingerprint() throws IOException {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sha256", ContentHash.ofModel(path));
        identity.put("classes", classes);
        identity.put("mean", mean);
        identity.put("std", std);
        identity.put("preprocess", preprocess);
        identity.put("inputShape", inputShape);
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(identity);
    }

    /**
     * The model as a layer graph, for commands that look inside it; a DL4J network that needs DL4J's own
     * backprop is refused in one line saying why ({@code needs}) and which layers forced it.
     */
    GraphClassifier loadGraph(String hint, String needs) throws IOException {
        ImageClassifier model = load(hint);
        if (model instanceof GraphClassifier graph) {
            return graph;
        }
        throw new IllegalArgumentException("--model " + path + ": " + needs + " needs the model as a layer graph; this one is explained "
                + "through DL4J's own backprop" + (model instanceof Dl4jBackpropClassifier fallback ? ", forced by " + fallback.forcedBy() : ""));
    }

    /** The model at {@code path}; a missing or unreadable one is named with the flag and {@code hint} on what to do. */
    ImageClassifier load(String hint) throws IOException {
        ModelFiles.Given given = given(hint);
        try {
            ModelFiles.Loaded loaded = ModelFiles.load(path, given);
            if (!Files.isDirectory(path)) {
                System.err.println("model: " + loaded.description());
            }
            return loaded.classifier();
        } catch (DataException e) {
            throw new DataException("--model " + e.getMessage(), e);
        }
    }

    /** The model's files as bytes with what the flags say of it, for a Spark task to load (after {@link #load}). */
    ModelBundle bundle() throws IOException {
        return ModelBundle.of(path, given(HINT));
    }

    /** What the flags say of the model, checked; a missing model is named with {@code hint}. */
    private ModelFiles.Given given(String hint) {
        preprocessing(); // a bad --preprocess is named before the model is read
        if ((mean == null) != (std == null)) {
            throw new IllegalArgumentException((mean == null ? "--std" : "--mean") + " needs " + (mean == null ? "--mean" : "--std")
                    + " too");
        }
        if (mean != null && mean.length != std.length) {
            throw new IllegalArgumentException("--mean has " + mean.length + " values, --std " + std.length);
        }
        Normalization normalization;
        try {
            normalization = mean == null ? null : new Normalization(mean, std);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mean/--std: " + e.getMessage(), e);
        }
        if (inputShape != null && (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(v -> v < 1))) {
            throw new IllegalArgumentException("--input-shape must be channels,height,width, each >= 1, got " + Arrays.toString(inputShape));
        }
        if (classes != null && classes.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("--classes: a class name is empty in " + classes);
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--model " + path + ": no such folder or file (" + hint + ")");
        }
        return new ModelFiles.Given(classes == null ? null : List.copyOf(classes), normalization, inputShape, preprocessing());
    }

    /** The --preprocess convention. */
    Preprocessing preprocessing() {
        return Preprocessing.parse(preprocess == null ? "none" : preprocess);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
