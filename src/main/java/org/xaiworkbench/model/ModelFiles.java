package org.xaiworkbench.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.Normalization;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.onnx.OnnxImport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model a command explains, from the one path {@code --model} gives:
 * <ul>
 *   <li>a folder holding {@code model.zip} and {@code model.json}, as {@code make train} writes;</li>
 *   <li>a DL4J {@code .zip} of the report's VGG13 ({@code ModelSerializer});</li>
 *   <li>an ONNX model ({@code .onnx}), e.g. exported from PyTorch, TensorFlow or Keras;</li>
 *   <li>a PyTorch state dict of the report's VGG13 as {@code .npz} (the names and layouts of
 *       {@link PyTorchStateDict}), e.g. from the report's own training code.</li>
 * </ul>
 * What a file does not say (class names, the normalization the model expects) comes from the
 * command line, else from a sidecar: {@code <name>.json} beside the file, else {@code model.json} in
 * its folder (the model card's format, or just {@code classNames}, {@code mean}, {@code std}). Without
 * either the classes are "class 0".."class K-1" and the inputs are not normalized.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** What a load found and what it had to assume, for the run's log. */
    public record Loaded(GraphClassifier classifier, String description) {
    }

    /** What the command line says about the model, each null where it says nothing. */
    public record Given(List<String> classNames, Normalization normalization) {
        public static final Given NOTHING = new Given(null, null);
    }

    /** The parts of a sidecar this reads; a model card has them too. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Sidecar(List<String> classNames, double[] mean, double[] std) {
    }

    public static Loaded load(Path path) throws IOException {
        return load(path, Given.NOTHING);
    }

    public static Loaded load(Path path, Given given) throws IOException {
        if (Files.isDirectory(path)) {
            ModelStore.Loaded stored = ModelStore.load(path, false);
            ModelCard card = stored.card();
            Map<String, INDArray> state = PyTorchStateDict.fromNetwork(stored.network());
            return new Loaded(build(path, VggSpec.graph(VggSpec.modules(), state, VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE),
                    given.classNames() != null ? given.classNames() : card.classNames(),
                    given.normalization() != null ? given.normalization() : card.normalization(), path + " (model.zip + model.json)"),
                    path + " (model.zip + model.json)");
        }
        if (!Files.isRegularFile(path)) {
            throw new DataException(path + ": no such file or folder");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        LayerGraph graph;
        if (name.endsWith(".onnx")) {
            graph = OnnxImport.read(path);
        } else if (name.endsWith(".npz") || name.endsWith(".zip")) {
            Map<String, INDArray> state = name.endsWith(".npz") ? PyTorchStateDict.readNpz(path) : stateOfZip(path);
            try {
                graph = VggSpec.graph(VggSpec.modules(), state, VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE);
            } catch (IllegalArgumentException e) {
                throw new DataException(path + ": not the report's VGG13 (" + DataException.firstLine(e) + ")", e);
            }
        } else {
            throw new DataException(path + ": unknown model file; expected a folder, a DL4J .zip, an .onnx or a PyTorch .npz state dict");
        }
        Path sidecarFile = sidecarOf(path);
        Sidecar sidecar = sidecarFile == null ? new Sidecar(null, null, null) : readSidecar(sidecarFile);
        if ((sidecar.mean() == null) != (sidecar.std() == null)) {
            throw new DataException(sidecarFile + ": mean and std go together; give both or neither");
        }
        List<String> classNames = given.classNames() != null ? given.classNames()
                : sidecar.classNames() != null ? sidecar.classNames() : numbered(graph.numClasses());
        Normalization normalization = given.normalization() != null ? given.normalization()
                : sidecar.mean() != null ? new Normalization(sidecar.mean(), sidecar.std()) : null;
        String source = given.classNames() != null || given.normalization() != null ? "the command line"
                : sidecarFile != null ? sidecarFile.toString() : null;
        String description = path + (source == null ? " (no sidecar: classes 'class 0'.., no normalization)" : " with " + source)
                + (normalization == null ? ", inputs not normalized" : "");
        return new Loaded(build(path, graph, classNames, normalization, source == null ? path.toString() : source), description);
    }

    private static GraphClassifier build(Path path, LayerGraph graph, List<String> classNames, Normalization normalization, String source) {
        if (classNames.size() != graph.numClasses()) {
            throw new DataException(source + ": " + classNames.size() + " class names for a model with " + graph.numClasses() + " outputs");
        }
        if (normalization != null && normalization.mean().length != graph.channels()) {
            throw new DataException(source + ": mean and std need " + graph.channels() + " values each (the model's input channels), got "
                    + normalization.mean().length);
        }
        try {
            return new GraphClassifier(graph, normalization, classNames, DataType.FLOAT);
        } catch (IllegalArgumentException e) {
            throw new DataException(path + ": " + DataException.firstLine(e), e);
        }
    }

    private static List<String> numbered(int classes) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class " + c);
        }
        return names;
    }

    private static Map<String, INDArray> stateOfZip(Path path) {
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(path.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new DataException(path + ": not a readable DL4J MultiLayerNetwork (" + DataException.firstLine(e) + ")", e);
        }
        try {
            return PyTorchStateDict.fromNetwork(net);
        } catch (RuntimeException e) {
            throw new DataException(path + ": not the report's VGG13 (" + DataException.firstLine(e) + ")", e);
        }
    }

    private static Path sidecarOf(Path model) {
        String file = model.getFileName().toString();
        Path named = model.resolveSibling(file.substring(0, file.lastIndexOf('.')) + ".json");
        Path folderCard = model.resolveSibling(ModelStore.CARD_FILE);
        return Files.isRegularFile(named) ? named : Files.isRegularFile(folderCard) ? folderCard : null;
    }

    private static Sidecar readSidecar(Path file) {
        try {
            return ModelStore.JSON.readValue(file.toFile(), Sidecar.class);
        } catch (IOException e) {
            throw new DataException(file + ": not a valid model sidecar (" + DataException.firstLine(e) + ")", e);
        }
    }
}
