package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Checks shared by every method: the input must be a finite [N,C,H,W] batch. */
public final class Inputs {
    private Inputs() {
    }

    public static void check(INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        if (x.rank() != 4 || x.size(0) == 0) {
            throw new IllegalArgumentException("input must be [N,C,H,W] with N > 0, got shape " + Arrays.toString(x.shape()));
        }
        if (x.isInfinite().any() || x.isNaN().any()) {
            throw new IllegalArgumentException("input contains NaN or infinite values");
        }
    }
}
