package org.xaiworkbench.model.graph;

/**
 * Which layer-wise relevance propagation rule each linear layer follows, Zennit's way: one rule for the
 * first convolution (the one reading the picture), one for the other convolutions, one for dense
 * layers. Activations and batch norms pass relevance on unchanged, average pools and residual sums
 * share it in proportion to their inputs (Zennit's Norm rule), max-pools route it as their gradient
 * does, and shape ops move it; any other op refuses.
 *
 * @param epsilon the epsilon rule's stabilizer
 * @param gamma   the gamma rule's weight on the positive (for positive outputs) or negative part
 */
public record LrpComposite(Rule first, Rule convolution, Rule dense, double epsilon, double gamma) {
    /** Zennit's rules of those names; the other rules' denominators are stabilized by 1e-6. */
    public enum Rule { EPSILON, Z_PLUS, ALPHA2_BETA1, GAMMA, FLAT, Z_BOX }

    /** Stabilizer of every rule but epsilon (Zennit's default). */
    public static final double STABILIZER = 1e-6;

    public LrpComposite {
        if (first == null || convolution == null || dense == null) {
            throw new IllegalArgumentException("every layer kind needs a rule");
        }
        if (convolution == Rule.Z_BOX || dense == Rule.Z_BOX) {
            throw new IllegalArgumentException("z-box is a rule for the first layer only: it needs the bounds of the layer's input");
        }
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        if (!(gamma >= 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and >= 0, got " + gamma);
        }
    }

    /** The rule of a convolution. */
    Rule convolutionRule(boolean isFirst) {
        return isFirst ? first : convolution;
    }
}
