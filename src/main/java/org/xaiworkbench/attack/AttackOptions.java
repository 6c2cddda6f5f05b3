package org.xaiworkbench.attack;

/** Checks shared by the options of every attack. */
final class AttackOptions {
    private AttackOptions() {
    }

    static void checkEpsilon(double epsilon) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be in [0,1] (pixel units), got " + epsilon);
        }
    }
}
