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
     * {@link #scoreGradient} with the logits of x, for {@code classes}, or for each image's predicted class
     * when {@code classes} is null. Models that can return the logits from the gradient pass (and find the
     * class inside it) override this to save the separate forward pass.
     */
    default WithLogits<INDArray> scoreGradientWithLogits(INDArray x, int[] classes, Score score) {
        INDArray logits = logits(x);
        int[] targets = classes != null ? classes : WithLogits.argMax(logits);
        return new WithLogits<>(logits, targets, scoreGradient(x, targets, score));
    }

    /** {@link #capture} with the logits of x, for {@code classes} or, when null, the predicted ones; see {@link #scoreGradientWithLogits}. */
    default WithLogits<LayerCapture> captureWithLogits(INDArray x, String layer, int[] classes, Score score) {
        INDArray logits = logits(x);
        int[] targets = classes != null ? classes : WithLogits.argMax(logits);
        return new WithLogits<>(logits, targets, capture(x, layer, targets, score));
    }

    default INDArray probabilities(INDArray x) {
        return org.nd4j.linalg.ops.transforms.Transforms.softmax(logits(x), true);
    }
}
