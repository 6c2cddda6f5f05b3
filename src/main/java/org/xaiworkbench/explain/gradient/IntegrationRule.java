package org.xaiworkbench.explain.gradient;

/**
 * Quadrature on [0,1] for the path integral of Integrated Gradients, Captum's approximation methods:
 * Riemann sums (left, right, middle, trapezoid) and Gauss-Legendre, Captum's default; and LINSPACE, PAIR
 * saliency's (XRAI's) sum over {@code np.linspace(0, 1, steps)}, both ends included, each weighted 1/steps.
 */
public enum IntegrationRule {
    RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE, RIEMANN_TRAPEZOID, GAUSS_LEGENDRE, LINSPACE;

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
            case GAUSS_LEGENDRE -> gaussLegendre(alphas, weights);
            case LINSPACE -> {
                for (int k = 0; k < steps; k++) {
                    alphas[k] = steps == 1 ? 0 : (double) k / (steps - 1);
                    weights[k] = 1.0 / steps;
                }
            }
        }
        return new Nodes(alphas, weights);
    }

    /**
     * The n-point Gauss-Legendre rule on [0,1], in increasing order, each root of the Legendre
     * polynomial P_n found by Newton's method from its asymptotic position. Commons Math's factory
     * builds the n-point rule from the (n-1)-point one, recursively, and keeps every rule it built:
     * a stack n frames deep and memory quadratic in n, a StackOverflowError at ten million steps.
     */
    private static void gaussLegendre(double[] alphas, double[] weights) {
        int n = alphas.length;
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double current = 1;
                double previous = 0;
                for (int j = 1; j <= n; j++) {
                    double older = previous;
                    previous = current;
                    current = ((2 * j - 1) * z * previous - (j - 1) * older) / j;
                }
                derivative = n * (z * current - previous) / (z * z - 1);
                double step = current / derivative;
                z -= step;
                if (Math.abs(step) <= 1e-16) {
                    break;
                }
            }
            double weight = 1 / ((1 - z * z) * derivative * derivative);
            alphas[i] = (1 - z) / 2;
            alphas[n - 1 - i] = (1 + z) / 2;
            weights[i] = weight;
            weights[n - 1 - i] = weight;
        }
    }
}
