package org.xaiworkbench.model.io;

import org.xaiworkbench.model.vgg.PyTorchStateDict;

import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.dl4j.Dl4jBackpropClassifier;
import org.xaiworkbench.model.vgg.Vgg13Network;
import org.xaiworkbench.model.vgg.VggSpec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.Normalization;
import org.xaiworkbench.data.Preprocessing;
import org.xaiworkbench.model.io.dl4j.Dl4jGraphs;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.io.onnx.OnnxImport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model a command explains, from the one path {@code --model} gives:
 * <ul>
 *   <li>a folder holding {@code model.zip} and {@code model.json}, as {@code make train} writes;</li>
 *   <li>a DL4J {@code .zip} ({@code ModelSerializer}): the report's VGG13 under its PyTorch module names, any other
 *       MultiLayerNetwork or ComputationGraph through {@link Dl4jGraphs}, or, for layers outside the layer graph,
 *       through DL4J's own backprop ({@link Dl4jBackpropClassifier});</li>
 *   <li>an ONNX model ({@code .onnx}), e.g. exported from PyTorch, TensorFlow or Keras;</li>
 *   <li>a PyTorch state dict of the report's VGG13 as {@code .npz} (the names and layouts of
 *       {@link PyTorchStateDict}), e.g. from the report's own training code.</li>
 * </ul>
 * What a file does not say (class names, the normalization the model expects) comes from the
 * command line, else from a sidecar: {@code <name>.json} beside the file, else {@code model.json} in
 * its folder (the model card's format, or just {@code classNames}, {@code mean}, {@code std} and, for a
 * DL4J network that does not record it, {@code inputShape} [channels, height, width]). Without
 * either the classes are "class 0".."class K-1" and the inputs are not normalized.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** What a load found and what it had to assume, for the run's log. */
    public record Loaded(ImageClassifier classifier, String description) {
    }

    /** What the command line says about the model, each null where it says nothing. */
    /** What flags say; the convention fills in what neither they nor a sidecar do (class names only where the count fits). */
    public record Given(List<String> classNames, Normalization normalization, int[] inputShape, Preprocessing convention)
            implements java.io.Serializable {
        public static final Given NOTHING = new Given(null, null, null);

        public Given {
            convention = convention == null ? Preprocessing.NONE : convention;
        }

        public Given(List<String> classNames, Normalization normalization, int[] inputShape) {
            this(classNames, normalization, inputShape, Preprocessing.NONE);
        }
    }

    /** The parts of a sidecar this reads (a model card has the first three); inputShape is [channels, height, width]. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Sidecar(List<String> classNames, double[] mean, double[] std, int[] inputShape) {
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
        if (!name.endsWith(".onnx") && !name.endsWith(".npz") && !name.endsWith(".zip")) {
            throw new DataException(path + ": unknown model file; expected a folder, a DL4J .zip, an .onnx or a PyTorch .npz state dict");
        }
        Path sidecarFile = sidecarOf(path);
        Sidecar sidecar = sidecarFile == null ? new Sidecar(null, null, null, null) : readSidecar(sidecarFile);
        if ((sidecar.mean() == null) != (sidecar.std() == null)) {
            throw new DataException(sidecarFile + ": mean and std go together; give both or neither");
        }
        if (sidecar.inputShape() != null && (sidecar.inputShape().length != 3 || Arrays.stream(sidecar.inputShape()).anyMatch(v -> v < 1))) {
            throw new DataException(sidecarFile + ": inputShape must be [channels, height, width], each >= 1");
        }
        int[] inputShape = given.inputShape() != null ? given.inputShape() : sidecar.inputShape();
        Normalization normalization = given.normalization() != null ? given.normalization()
                : sidecar.mean() != null ? new Normalization(sidecar.mean(), sidecar.std()) : given.convention().normalization();
        String source = given.classNames() != null || given.normalization() != null || given.inputShape() != null ? "the command line"
                : sidecarFile != null ? sidecarFile.toString() : null;
        String description = path + (source == null ? " (no sidecar: classes 'class 0'.., no normalization)" : " with " + source)
                + (normalization == null ? ", inputs not normalized" : "");
        String blame = source == null ? path.toString() : source;
        List<String> classNames = given.classNames() != null ? given.classNames() : sidecar.classNames();

        LayerGraph graph;
        if (name.endsWith(".onnx")) {
            graph = OnnxImport.read(path);
        } else if (name.endsWith(".npz")) {
            graph = reportVgg(path, PyTorchStateDict.readNpz(path));
        } else {
            Model network = Dl4jGraphs.load(path);
            LayerGraph vgg = reportVggOf(network);
            if (vgg != null) {
                graph = vgg;
            } else {
                Dl4jGraphs.Conversion conversion;
                try {
                    conversion = inputShape == null ? Dl4jGraphs.convert(network)
                            : Dl4jGraphs.convert(network, inputShape[0], inputShape[1], inputShape[2]);
                } catch (IllegalArgumentException e) {
                    throw new DataException(path + ": " + DataException.firstLine(e)
                            + (inputShape == null ? " (--input-shape C,H,W or \"inputShape\" in a sidecar)" : ""), e);
                }
                if (!conversion.converted()) {
                    if (inputShape == null) {
                        throw new DataException(path + ": layers " + conversion.unsupported() + " need DL4J's own backprop, which needs "
                                + "the input size: give --input-shape C,H,W or \"inputShape\" in a sidecar");
                    }
                    List<String> names = classNames != null ? classNames : numbered(outputsOf(network));
                    try {
                        Dl4jBackpropClassifier fallback = new Dl4jBackpropClassifier(path.toString(), network, inputShape[0], inputShape[1],
                                inputShape[2], normalization, names);
                        return new Loaded(fallback, description + "; explained through DL4J's own backprop (slower; no layer "
                                + "captures, no DeepLIFT), forced by " + fallback.forcedBy());
                    } catch (IllegalArgumentException e) {
                        throw new DataException(blame + ": " + DataException.firstLine(e), e);
                    }
                }
                graph = conversion.graph();
            }
        }
        List<String> conventionNames = given.convention().classNames();
        boolean conventional = classNames == null && conventionNames != null && conventionNames.size() == graph.numClasses();
        return new Loaded(build(path, graph, classNames != null ? classNames : conventional ? conventionNames
                : numbered(graph.numClasses()), normalization, blame), conventional ? description.replace("classes 'class 0'..", "classes from "
                + given.convention().name()) : description);
    }

    private static int outputsOf(Model network) {
        Layer output = network instanceof MultiLayerNetwork net ? net.getOutputLayer() : ((ComputationGraph) network).getOutputLayer(0);
        return (int) ((FeedForwardLayer) output.conf().getLayer()).getNOut();
    }

    private static LayerGraph reportVgg(Path path, Map<String, INDArray> state) {
        try {
            return VggSpec.graph(VggSpec.modules(), state, VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE);
        } catch (IllegalArgumentException e) {
            throw new DataException(path + ": not the report's VGG13 (" + DataException.firstLine(e) + ")", e);
        }
    }

    /** The report's VGG13 keeps its PyTorch module names; any other DL4J network goes through the general conversion. */
    private static LayerGraph reportVggOf(Model network) {
        if (!(network instanceof MultiLayerNetwork net) || net.getnLayers() != Vgg13Network.layerIndex(VggSpec.modules()
                .get(VggSpec.modules().size() - 1).name()) + 1) {
            return null;
        }
        try {
            return VggSpec.graph(VggSpec.modules(), PyTorchStateDict.fromNetwork(net), VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE);
        } catch (RuntimeException notTheVgg) {
            return null;
        }
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

    static Path sidecarOf(Path model) {
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
