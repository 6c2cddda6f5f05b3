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
}
