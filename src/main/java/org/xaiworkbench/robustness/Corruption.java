package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A seeded image corruption in pixel space: strength 0 is the identity, the result is clamped to
 * [0,1], and the same seed gives the same output.
 */
public interface Corruption {
    /** Folder and plot id, as in the seeds' layout: "pd", "noise", "brightness". */
    String id();

    /** What the strength means, e.g. "rate", "sigma", "delta". */
    String strengthName();

    /** @param x images [N,3,H,W] in [0,1]; not modified */
    INDArray apply(INDArray x, double strength, long seed);
}
