package org.xaiworkbench.attack;

/** What the classes passed to an attack mean. */
public enum AttackGoal {
    /** Classes are the true labels; the attack ascends their cross-entropy loss. */
    UNTARGETED,
    /** Classes are the wanted outputs; the attack descends their cross-entropy loss. */
    TARGETED
}
