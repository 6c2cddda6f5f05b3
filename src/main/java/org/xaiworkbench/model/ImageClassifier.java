package org.xaiworkbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.Resampling;

/** A classifier of images of one size, as a command loads it: pictures are brought to that size first. */
public interface ImageClassifier extends Classifier {
    /** [channels, height, width] of the model's input. */
    int[] inputShape();

    /** RGB pictures [N,3,H,W] resized (and turned grey) to the model's input; see {@link Resampling}. */
    default INDArray fitPictures(INDArray rgb) {
        int[] shape = inputShape();
        return Resampling.fit(rgb, shape[0], shape[1], shape[2]);
    }
}
