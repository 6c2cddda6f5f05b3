package org.xaiworkbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A module's activation [N,C,h,w] and the gradient of the chosen score with respect to it (same shape). */
public record LayerCapture(String layer, INDArray activation, INDArray gradient) {
}
