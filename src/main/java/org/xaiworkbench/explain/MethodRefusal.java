package org.xaiworkbench.explain;

import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.dl4j.Dl4jBackpropClassifier;

/**
 * A method that cannot explain the given model at all (not a bad option): DeepLIFT on an attention
 * layer, a class activation map on a model without an image-shaped layer. Commands running their
 * default method list skip such a method with a warning; a method the user named still fails.
 */
public final class MethodRefusal extends IllegalArgumentException {
    public MethodRefusal(String message) {
        super(message);
    }

    /**
     * The classifier as a layer graph, for a method that rewrites its propagation ({@code why}); refused in
     * one line for a model explained another way, naming what forced that.
     */
    public static GraphClassifier layerGraph(String method, Classifier classifier, String why) {
        if (classifier instanceof GraphClassifier graph) {
            return graph;
        }
        throw new MethodRefusal(method + " needs the model as a layer graph (" + why + "); this model is explained through "
                + classifier.getClass().getSimpleName()
                + (classifier instanceof Dl4jBackpropClassifier fallback ? ", forced by " + fallback.forcedBy() : ""));
    }
}
