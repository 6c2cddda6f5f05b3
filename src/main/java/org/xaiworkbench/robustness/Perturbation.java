package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.attack.Attack;
import org.xaiworkbench.attack.AttackGoal;

import java.util.function.DoubleFunction;

/** What a sweep applies at each strength: an attack at radius ε or a corruption at its strength. */
@FunctionalInterface
public interface Perturbation {
    /**
     * @param x      images [N,3,H,W] in [0,1]
     * @param labels their true labels
     * @return a new perturbed batch; strength 0 must give back x
     */
    INDArray apply(INDArray x, int[] labels, double strength, long seed);

    static Perturbation of(Corruption corruption) {
        return (x, labels, strength, seed) -> corruption.apply(x, strength, seed);
    }

    /** An untargeted attack built for each radius. */
    static Perturbation ofAttack(DoubleFunction<Attack> attackAtEpsilon) {
        return (x, labels, epsilon, seed) -> {
            Attack attack = attackAtEpsilon.apply(epsilon);
            if (attack.goal() != AttackGoal.UNTARGETED) {
                throw new IllegalArgumentException("accuracy sweeps need untargeted attacks, got " + attack.goal());
            }
            return attack.perturb(x, labels, seed);
        };
    }
}
