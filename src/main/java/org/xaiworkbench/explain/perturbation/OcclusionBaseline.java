package org.xaiworkbench.explain.perturbation;

/** What an occlusion window is filled with. */
public enum OcclusionBaseline {
    /** Black, Captum's default baseline. */
    ZERO,
    /** The same pixels of a Gaussian-blurred copy of the image, the seeds' preferred choice. */
    BLUR
}
