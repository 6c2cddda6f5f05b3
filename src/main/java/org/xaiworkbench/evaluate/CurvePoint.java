package org.xaiworkbench.evaluate;

/**
 * One point of a per-image curve: deletion and insertion (x = share of pixels moved, y = score) or a
 * sanity check (x = randomization stage, label = the layer randomized last, y = similarity).
 */
public record CurvePoint(int image, String method, String curve, int step, double x, String label, double y) implements java.io.Serializable {
}
