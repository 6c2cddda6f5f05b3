package org.xaiworkbench.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

/**
 * Something computed for one class of each image, with the logits [N,K] of the same pass and the class
 * of each image: the one asked for, or the predicted one (the first arg-max of its logits).
 */
public record WithLogits<T>(INDArray logits, int[] classes, T value) {
    /** The same prediction with its value transformed. */
    public <U> WithLogits<U> map(Function<T, U> f) {
        return new WithLogits<>(logits, classes, f.apply(value));
    }

    public static int[] argMax(INDArray logits) {
        int[] classes = new int[(int) logits.size(0)];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = logits.getRow(i).argMax().getInt(0);
        }
        return classes;
    }
}
