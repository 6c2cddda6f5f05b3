package org.xaiworkbench.model.vgg;

import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.graph.GraphClassifier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.Normalization;

import java.util.List;
import java.util.Map;

/** The report's VGG13 as a {@link GraphClassifier}, from the places its weights come from. */
public final class VggClassifiers {
    private VggClassifiers() {
    }

    /** A state dict in the report's PyTorch names and layouts, in a float graph. */
    public static GraphClassifier of(Map<String, INDArray> state, Normalization normalization, List<String> classNames) {
        return new GraphClassifier(VggSpec.graph(VggSpec.modules(), state, VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE), normalization,
                classNames, DataType.FLOAT);
    }

    /** The DL4J network's weights with the card's normalization and class names. */
    public static GraphClassifier of(MultiLayerNetwork net, ModelCard card) {
        return of(PyTorchStateDict.fromNetwork(net), card.normalization(), card.classNames());
    }

    /**
     * A freshly initialised VGG13 with a nominal normalization: the same cost per pass as the trained
     * model, for benchmarks that must run before any training.
     */
    public static GraphClassifier untrained(List<String> classNames) {
        double[] mean = {0.5, 0.5, 0.5};
        double[] std = {0.25, 0.25, 0.25};
        ModelCard card = new ModelCard("untrained", classNames, mean, std, 1e-3, 0, 1, 0, 0, "");
        return of(Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 1)), card);
    }
}
