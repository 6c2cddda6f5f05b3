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

    /** @param x images in pixel space [N,3,H,W] in [0,1]; row i draws its random numbers from stream i */
    AttributionResult attribute(INDArray x, Target target);

    /**
     * As {@link #attribute(INDArray, Target)}, with image i drawing its random numbers from stream
     * {@code streams[i]} instead of i. Images given the same stream get the draws one of them would get
     * alone in a call, so that several images can share a call without changing any image's map
     * (stream 0 for every image: each map as if explained on its own).
     */
    AttributionResult attribute(INDArray x, Target target, int[] streams);
}
