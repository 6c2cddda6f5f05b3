package org.xaiworkbench.viz;

/**
 * Maps that carry no picture: drawing them after normalization would show noise (a constant map
 * min-max scaled) or nothing at all, so figures put a text panel in their place instead.
 */
public enum Degeneracy {
    NONE(""),
    NOT_FINITE("contains NaN or infinite values"),
    ALL_ZERO("all zero: no attribution"),
    CONSTANT("constant: no spatial information");

    /** Spread below this fraction of the largest magnitude counts as constant (float precision). */
    private static final double RELATIVE_TOLERANCE = 1e-6;

    private final String description;

    Degeneracy(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public boolean degenerate() {
        return this != NONE;
    }

    public static Degeneracy of(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return NOT_FINITE;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (values.length == 0 || (min == 0 && max == 0)) {
            return ALL_ZERO;
        }
        double scale = Math.max(Math.abs(min), Math.abs(max));
        return max - min <= RELATIVE_TOLERANCE * scale ? CONSTANT : NONE;
    }
}
