package org.xaiworkbench.evaluate.complexity;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;

import java.util.Arrays;
import java.util.Map;

/**
 * Sparseness (Chalasani et al. 2020, as Quantus): the Gini index of |map|, 0 for a uniform map (or an
 * all-zero one) and close to 1 when one pixel holds everything.
 */
public final class Sparseness extends AbstractMetric {
    public static final String ID = "sparseness";

    public Sparseness() {
        super(ID, Direction.DESCRIPTOR, "Gini index of |map|: 0 uniform, 1 one pixel");
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return batch.perMethodAndImage((id, i) -> gini(Maps.abs(batch.pixelMap(id, i))));
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
