package org.xaiworkbench.evaluate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sparseness (Chalasani et al. 2020, as Quantus): the Gini index of |map|, 0 for a uniform map (or an
 * all-zero one) and close to 1 when one pixel holds everything.
 */
public final class Sparseness implements Metric {
    public static final String ID = "sparseness";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Direction direction() {
        return Direction.DESCRIPTOR;
    }

    @Override
    public String description() {
        return "Gini index of |map|: 0 uniform, 1 one pixel";
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String id : batch.methodIds()) {
            double[] values = new double[batch.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = gini(Maps.abs(batch.pixelMap(id, i)));
            }
            out.put(id, values);
        }
        return out;
    }

    static double gini(double[] magnitudes) {
        double[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double total = 0;
        double weighted = 0;
        for (int k = 0; k < n; k++) {
            total += sorted[k];
            weighted += (2.0 * (k + 1) - n - 1) * sorted[k];
        }
        return total == 0 ? 0 : weighted / (n * total);
    }
}
