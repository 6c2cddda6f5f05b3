package org.xaiworkbench.evaluate;

/** Which way a metric's values are better; descriptors describe maps and are never ranked. */
public enum Direction {
    HIGHER("↑ higher is better"),
    LOWER("↓ lower is better"),
    DESCRIPTOR("descriptor, not ranked");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether {@code a} is better than {@code b}; false for descriptors. */
    public boolean better(double a, double b) {
        return switch (this) {
            case HIGHER -> a > b;
            case LOWER -> a < b;
            case DESCRIPTOR -> false;
        };
    }
}
