package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Classifier;

/**
 * What a registry factory may use to build a method: the classifier, and the reference images of the
 * expectation methods (GradientSHAP, DeepSHAP), which should be training images as in the report's
 * DeepExplainer. {@code background} may be null; those methods then use their documented default.
 */
public record MethodContext(Classifier classifier, INDArray background) {
    public static MethodContext of(Classifier classifier) {
        return new MethodContext(classifier, null);
    }
}
