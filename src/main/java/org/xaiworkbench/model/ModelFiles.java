package org.xaiworkbench.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.Normalization;

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
 *   <li>a PyTorch state dict of the report's VGG13 as {@code .npz} (the names and layouts of
 *       {@link PyTorchStateDict}), e.g. from the report's own training code.</li>
 * </ul>
 * What a single file does not say (class names, the normalization inside the model) comes from a
 * sidecar: {@code <name>.json} beside it, else {@code model.json} in its folder, in the model card's
 * format. Without one the classes are "class 0".."class K-1" and the inputs are not normalized.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** What a load found and what it had to assume, for the run's log. */
    public record Loaded(GraphClassifier classifier, String description) {
    }

    public static Loaded load(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return new Loaded(VggClassifiers.load(path), path + " (model.zip + model.json)");
        }
        if (!Files.isRegularFile(path)) {
            throw new DataException(path + ": no such file or folder");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            throw new DataException(path + ": ONNX models cannot be loaded yet (a folder, a DL4J .zip or a PyTorch .npz can)");
        }
        if (!name.endsWith(".npz") && !name.endsWith(".zip")) {
            throw new DataException(path + ": unknown model file; expected a folder, a DL4J .zip or a PyTorch .npz state dict");
        }
        Sidecar sidecar = Sidecar.of(path);
        Map<String, INDArray> state = name.endsWith(".npz") ? PyTorchStateDict.readNpz(path) : stateOfZip(path);
        GraphClassifier classifier;
        try {
            classifier = VggClassifiers.of(state, sidecar.normalization(), sidecar.classNames());
        } catch (IllegalArgumentException e) {
            throw new DataException(path + ": not the report's VGG13 (" + DataException.firstLine(e) + ")", e);
        }
        return new Loaded(classifier, path + " with " + sidecar.description());
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

    private record Sidecar(List<String> classNames, Normalization normalization, String description) {
        static Sidecar of(Path model) throws IOException {
            String file = model.getFileName().toString();
            Path named = model.resolveSibling(file.substring(0, file.lastIndexOf('.')) + ".json");
            Path folderCard = model.resolveSibling(ModelStore.CARD_FILE);
            Path card = Files.isRegularFile(named) ? named : Files.isRegularFile(folderCard) ? folderCard : null;
            if (card == null) {
                List<String> classes = new ArrayList<>();
                for (int c = 0; c < VggSpec.NUM_CLASSES; c++) {
                    classes.add("class " + c);
                }
                return new Sidecar(classes, null, "no sidecar: classes 'class 0'.., no normalization");
            }
            ModelCard parsed;
            try {
                parsed = ModelStore.JSON.readValue(card.toFile(), ModelCard.class);
            } catch (IOException e) {
                throw new DataException(card + ": not a valid model card (" + DataException.firstLine(e) + ")", e);
            }
            if (parsed.classNames() == null || parsed.classNames().size() != VggSpec.NUM_CLASSES) {
                throw new DataException(card + ": classNames must list " + VggSpec.NUM_CLASSES + " classes");
            }
            boolean normalized = parsed.mean() != null && parsed.std() != null;
            if (normalized && (parsed.mean().length != VggSpec.INPUT_CHANNELS || parsed.std().length != VggSpec.INPUT_CHANNELS)) {
                throw new DataException(card + ": mean and std must have " + VggSpec.INPUT_CHANNELS + " values each");
            }
            return new Sidecar(parsed.classNames(), normalized ? parsed.normalization() : null,
                    card + (normalized ? "" : " (no normalization)"));
        }
    }
}
