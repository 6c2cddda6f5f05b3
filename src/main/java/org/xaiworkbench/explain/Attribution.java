package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** An attribution method bound to a classifier and its options. */
public interface Attribution {
    /** Registry id, e.g. "saliency", "integrated-gradients". */
    String id();

    /** Whether the attributions carry a meaningful sign (drawn red/blue) or are magnitudes only. */
    boolean signed();

    /** Every option it runs with, by name, as the record of a run shows them. */
    Map<String, Object> describeOptions();

    /** @param x images in pixel space [N,3,H,W] in [0,1] */
    AttributionResult attribute(INDArray x, Target target);
}
