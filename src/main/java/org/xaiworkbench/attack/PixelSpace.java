package org.xaiworkbench.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.explain.Inputs;

/** The constraints every perturbed image obeys: pixels in [0,1], and for attacks the ε ball. */
public final class PixelSpace {
    private PixelSpace() {
    }

    /** Clamps to [0,1] in place and returns the argument. */
    public static INDArray clampInPlace(INDArray x) {
        Transforms.max(x, 0.0, false);
        return Transforms.min(x, 1.0, false);
    }

    /**
     * Projects {@code adversarial} in place onto the intersection of the L∞ ball of radius
     * {@code epsilon} around {@code x} and the box [0,1]; since x lies in the box, that is a
     * per-pixel clamp to [max(x-ε,0), min(x+ε,1)].
     */
    public static INDArray projectInPlace(INDArray adversarial, INDArray x, double epsilon) {
        INDArray lower = Transforms.max(x.sub(epsilon), 0.0, false);
        INDArray upper = Transforms.min(x.add(epsilon), 1.0, false);
        Transforms.max(adversarial, lower, false);
        return Transforms.min(adversarial, upper, false);
    }

    /** Checks the image batch shape and that the classes match it; shared by attacks. */
    static void checkBatch(INDArray x, int[] classes, int numClasses) {
        Inputs.check(x);
        if (classes == null || classes.length != x.size(0)) {
            throw new IllegalArgumentException("classes: expected one class per image (" + x.size(0) + "), got "
                    + (classes == null ? "none" : classes.length));
        }
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("class must be in 0.." + (numClasses - 1) + ", got " + c);
            }
        }
    }
}
