package org.xaiworkbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The seam between models and methods. Inputs are images in pixel space, [N,3,H,W] in [0,1]; any
 * normalization happens inside, so baselines ("zero" is black), noise, attacks and pictures all
 * live in one space. Always inference mode (dropout off). Implementations: the SameDiff graph of
 * the trained VGG, and small analytic models in tests.
 */
public interface Classifier {
    int numClasses();

    List<String> classNames();

    /** Modules whose activations {@link #capture} can return, in forward order (e.g. conv_layers.0 ... 14). */
    List<String> layerNames();

    /** The layer CAM methods look at unless told otherwise: the last of {@link #layerNames}, or null if there are none. */
    default String defaultCamLayer() {
        List<String> layers = layerNames();
        return layers.isEmpty() ? null : layers.get(layers.size() - 1);
    }

    /** [N,K] pre-softmax outputs. */
    INDArray logits(INDArray x);

    /** d score(x_i)[classes[i]] / d x_i for each image i: [N,3,H,W]. Not the loss gradient. */
    INDArray scoreGradient(INDArray x, int[] classes, Score score);

    /** The activation of {@code layer} and the gradient of score[classes[i]] with respect to it. */
    LayerCapture capture(INDArray x, String layer, int[] classes, Score score);

    /**
     * {@link #scoreGradient} for each image's predicted class, with the logits that chose it. Models that
     * can find the class inside the gradient pass override this to save the separate forward pass.
     */
    default Predicted<INDArray> predictedScoreGradient(INDArray x, Score score) {
        INDArray logits = logits(x);
        int[] classes = Predicted.argMax(logits);
        return new Predicted<>(logits, classes, scoreGradient(x, classes, score));
    }

    /** {@link #capture} for each image's predicted class, with the logits that chose it; see {@link #predictedScoreGradient}. */
    default Predicted<LayerCapture> predictedCapture(INDArray x, String layer, Score score) {
        INDArray logits = logits(x);
        int[] classes = Predicted.argMax(logits);
        return new Predicted<>(logits, classes, capture(x, layer, classes, score));
    }

    default INDArray probabilities(INDArray x) {
        return org.nd4j.linalg.ops.transforms.Transforms.softmax(logits(x), true);
    }
}
