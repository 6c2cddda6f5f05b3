package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Splits one image into superpixels, the features LIME and KernelSHAP switch on and off. */
public interface Segmentation {
    /** @param image one image in pixel space, [C,H,W] or [1,C,H,W], values in [0,1] */
    Superpixels segment(INDArray image);

    /** Name and parameters, for the run's record. */
    String describe();

    /** The [C,H,W] shape of a single image given as [C,H,W] or [1,C,H,W]. */
    static long[] imageShape(INDArray image) {
        long[] s = image.shape();
        if (s.length == 3) {
            return s;
        }
        if (s.length == 4 && s[0] == 1) {
            return new long[]{s[1], s[2], s[3]};
        }
        throw new IllegalArgumentException("segmentation needs one image [C,H,W] or [1,C,H,W], got shape " + Arrays.toString(s));
    }
}
