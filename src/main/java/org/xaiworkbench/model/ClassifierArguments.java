package org.xaiworkbench.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** The argument checks every classifier makes the same way: the image batch's shape and the target classes. */
public final class ClassifierArguments {
    private ClassifierArguments() {
    }

    /** x as [N, shape...] with N > 0, else an error naming the expected shape. */
    public static INDArray images(INDArray x, int[] shape) {
        if (x == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        long[] s = x.shape();
        if (s.length != 4 || s[0] == 0 || s[1] != shape[0] || s[2] != shape[1] || s[3] != shape[2]) {
            throw new IllegalArgumentException("input must be [N," + shape[0] + "," + shape[1] + "," + shape[2] + "] with N > 0, got "
                    + Arrays.toString(s));
        }
        return x;
    }

    /** One-hot rows [n, numClasses] of the classes, one per image. */
    public static INDArray oneHot(int[] classes, long n, int numClasses, DataType dataType) {
        if (classes == null || classes.length != n) {
            throw new IllegalArgumentException("classes: need one class per image (" + n + "), got "
                    + (classes == null ? "null" : String.valueOf(classes.length)));
        }
        INDArray oneHot = Nd4j.zeros(dataType, n, numClasses);
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= numClasses) {
                throw new IllegalArgumentException("target class must be in 0.." + (numClasses - 1) + ", got " + classes[i]);
            }
            oneHot.putScalar(i, classes[i], 1.0);
        }
        return oneHot;
    }
}
