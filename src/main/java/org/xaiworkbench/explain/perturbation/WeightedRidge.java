package org.xaiworkbench.explain.perturbation;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Weighted ridge regression as scikit-learn's {@code Ridge(alpha).fit(X, y, sample_weight=w)}:
 * minimise sum_i w_i (y_i - b - x_i.beta)^2 + alpha |beta|^2, the intercept b unpenalised (found by
 * centring on the weighted means). Solved through the normal equations with an SVD pseudo-inverse,
 * so a rank-deficient design (a feature that never changes) still gets the minimum-norm answer
 * instead of an exception.
 */
final class WeightedRidge {
    /** @param weightedR2 the weighted coefficient of determination, sklearn's score(X, y, sample_weight=w) */
    record Fit(double[] coefficients, double intercept, double weightedR2) {
        double predict(double[] x) {
            double y = intercept;
            for (int j = 0; j < coefficients.length; j++) {
                y += coefficients[j] * x[j];
            }
            return y;
        }
    }

    private WeightedRidge() {
    }

    static Fit fit(double[][] x, double[] y, double[] w, double alpha, boolean fitIntercept) {
        int n = y.length;
        int p = n == 0 ? 0 : x[0].length;
        double totalWeight = 0;
        double[] xMean = new double[p];
        double yMean = 0;
        if (fitIntercept) {
            for (int i = 0; i < n; i++) {
                totalWeight += w[i];
                yMean += w[i] * y[i];
                for (int j = 0; j < p; j++) {
                    xMean[j] += w[i] * x[i][j];
                }
            }
            if (!(totalWeight > 0)) {
                throw new IllegalArgumentException("ridge sample weights must have a positive sum, got " + totalWeight);
            }
            yMean /= totalWeight;
            for (int j = 0; j < p; j++) {
                xMean[j] /= totalWeight;
            }
        }
        double[][] gram = new double[p][p];
        double[] rhs = new double[p];
        double[] centred = new double[p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                centred[j] = x[i][j] - xMean[j];
            }
            double yi = y[i] - yMean;
            for (int j = 0; j < p; j++) {
                double wx = w[i] * centred[j];
                rhs[j] += wx * yi;
                for (int k = j; k < p; k++) {
                    gram[j][k] += wx * centred[k];
                }
            }
        }
        for (int j = 0; j < p; j++) {
            gram[j][j] += alpha;
            for (int k = 0; k < j; k++) {
                gram[j][k] = gram[k][j];
            }
        }
        double[] beta = p == 0 ? new double[0] : solve(gram, rhs);
        double intercept = yMean;
        for (int j = 0; j < p; j++) {
            intercept -= xMean[j] * beta[j];
        }
        Fit unscored = new Fit(beta, intercept, Double.NaN);
        return new Fit(beta, intercept, weightedR2(x, y, w, unscored));
    }

    private static double[] solve(double[][] gram, double[] rhs) {
        RealMatrix a = new Array2DRowRealMatrix(gram, false);
        return new SingularValueDecomposition(a).getSolver().solve(new ArrayRealVector(rhs, false)).toArray();
    }

    private static double weightedR2(double[][] x, double[] y, double[] w, Fit fit) {
        double totalWeight = 0;
        double yMean = 0;
        for (int i = 0; i < y.length; i++) {
            totalWeight += w[i];
            yMean += w[i] * y[i];
        }
        yMean /= totalWeight;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            double r = y[i] - fit.predict(x[i]);
            residual += w[i] * r * r;
            total += w[i] * (y[i] - yMean) * (y[i] - yMean);
        }
        // sklearn's r2_score convention for a constant target: 1 if predicted perfectly, else 0
        if (total == 0) {
            return residual == 0 ? 1 : 0;
        }
        return 1 - residual / total;
    }
}
