package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Classifier;

/**
 * What a registry factory may use to build a method: the classifier, the reference images of the
 * expectation methods (GradientSHAP, DeepSHAP), which should be training images as in the report's
 * DeepExplainer, and the options given on the command line. {@code background} may be null; those
 * methods then use their documented default.
 */
public record MethodContext(Classifier classifier, INDArray background, MethodSettings settings) {
    public MethodContext {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null (MethodSettings.defaults() for none)");
        }
    }

    public static MethodContext of(Classifier classifier) {
        return new MethodContext(classifier, null, MethodSettings.defaults());
    }

    public MethodContext withSettings(MethodSettings newSettings) {
        return new MethodContext(classifier, background, newSettings);
    }
}
