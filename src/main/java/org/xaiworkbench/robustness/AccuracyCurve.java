package org.xaiworkbench.robustness;

/** Test accuracy of one perturbation at each strength; {@code correct[i]} out of {@code total}. */
public record AccuracyCurve(String id, String title, String strengthName, double[] strengths, long[] correct,
                            long total) {
    public double accuracy(int i) {
        return total == 0 ? Double.NaN : (double) correct[i] / total;
    }

    public double[] accuracies() {
        double[] out = new double[strengths.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = accuracy(i);
        }
        return out;
    }
}
