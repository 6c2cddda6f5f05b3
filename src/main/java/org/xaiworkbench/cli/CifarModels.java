package org.xaiworkbench.cli;

import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.graph.LayerGraph;

/** The check of commands whose numbers are accuracies against CIFAR-10's labels. */
final class CifarModels {
    private static final int CIFAR_CLASSES = 10;

    private CifarModels() {
    }

    /** Refuses, in one line, a model that does not take CIFAR-10's 3x32x32 images and give its 10 classes. */
    static void requireCifarClassifier(GraphClassifier model, Object flagValue) {
        LayerGraph g = model.layerGraph();
        if (g.channels() != LabeledImages.CHANNELS || g.height() != LabeledImages.SIZE || g.width() != LabeledImages.SIZE
                || model.numClasses() != CIFAR_CLASSES) {
            throw new IllegalArgumentException("--model " + flagValue + ": takes " + g.channels() + "x" + g.height() + "x" + g.width()
                    + " inputs and gives " + model.numClasses() + " classes; accuracy is measured on CIFAR-10's labels, which needs "
                    + "3x32x32 inputs and 10 classes (explain and evaluate take any model)");
        }
    }
}
