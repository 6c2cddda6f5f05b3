package org.xaiworkbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The gradient of a score at the input [N,C,H,W] and at each of several layers [N,K,h,w] in the order asked, from one backward pass. */
public record LayerGradients(INDArray input, Map<String, INDArray> layers) {
    public LayerGradients {
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }
}
