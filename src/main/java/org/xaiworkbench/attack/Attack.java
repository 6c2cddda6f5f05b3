package org.xaiworkbench.attack;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An L∞ evasion attack in pixel space: the result is a valid image in [0,1] within {@link #epsilon()}
 * of the input in every pixel.
 */
public interface Attack {
    /** Short id used for folders and plots, e.g. "fgsm", "pgd". */
    String id();

    double epsilon();

    AttackGoal goal();

    /**
     * @param x       images [N,3,H,W] in [0,1]
     * @param classes the true labels (untargeted) or the target classes (targeted), one per image
     * @param seed    seeds every random draw the attack makes
     */
    INDArray perturb(INDArray x, int[] classes, long seed);
}
