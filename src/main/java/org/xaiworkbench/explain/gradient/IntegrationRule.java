package org.xaiworkbench.explain.gradient;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Quadrature on [0,1] for the path integral of Integrated Gradients, Captum's approximation methods:
 * Riemann sums (left, right, middle, trapezoid) and Gauss-Legendre, Captum's default.
 */
public enum IntegrationRule {
    RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE, RIEMANN_TRAPEZOID, GAUSS_LEGENDRE;

    /** Nodes alpha_k in [0,1] and weights w_k (summing to 1) for {@code steps} evaluations. */
    public record Nodes(double[] alphas, double[] weights) {
    }

    public Nodes nodes(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be > 0, got " + steps);
        }
        if (this == RIEMANN_TRAPEZOID && steps < 2) {
            throw new IllegalArgumentException("steps must be >= 2 for the trapezoid rule, got " + steps);
        }
        double[] alphas = new double[steps];
        double[] weights = new double[steps];
        switch (this) {
            case RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE -> {
                double offset = this == RIEMANN_LEFT ? 0 : this == RIEMANN_RIGHT ? 1 : 0.5;
                for (int k = 0; k < steps; k++) {
                    alphas[k] = (k + offset) / steps;
                    weights[k] = 1.0 / steps;
                }
            }
            case RIEMANN_TRAPEZOID -> {
                for (int k = 0; k < steps; k++) {
                    alphas[k] = (double) k / (steps - 1);
                    weights[k] = (k == 0 || k == steps - 1 ? 0.5 : 1.0) / (steps - 1);
                }
            }
            case GAUSS_LEGENDRE -> {
                GaussIntegrator rule = new GaussIntegratorFactory().legendre(steps, 0, 1);
                for (int k = 0; k < steps; k++) {
                    alphas[k] = rule.getPoint(k);
                    weights[k] = rule.getWeight(k);
                }
            }
        }
        return new Nodes(alphas, weights);
    }
}
