package org.xaiworkbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

/**
 * Something computed for each image's predicted class, with the logits [N,K] the prediction came
 * from and the predicted class of each image (the first arg-max of its logits).
 */
public record Predicted<T>(INDArray logits, int[] classes, T value) {
    /** The same prediction with its value transformed. */
    public <U> Predicted<U> map(Function<T, U> f) {
        return new Predicted<>(logits, classes, f.apply(value));
    }

    public static int[] argMax(INDArray logits) {
        int[] classes = new int[(int) logits.size(0)];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = logits.getRow(i).argMax().getInt(0);
        }
        return classes;
    }
}
