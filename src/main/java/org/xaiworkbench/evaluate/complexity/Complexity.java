package org.xaiworkbench.evaluate.complexity;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;

import java.util.Map;

/**
 * Complexity (Bhatt et al. 2020, as Quantus): the entropy of each pixel's share of |map|, divided by
 * its maximum log(H*W), so 0 is one lit pixel and 1 a uniform map (an all-zero map counts as uniform).
 */
public final class Complexity extends AbstractMetric {
    public static final String ID = "complexity";

    public Complexity() {
        super(ID, Direction.DESCRIPTOR, "normalised entropy of |map|: 0 one pixel, 1 uniform");
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return batch.perMethodAndImage((id, i) -> of(Maps.abs(batch.pixelMap(id, i))));
    }

    static double of(double[] magnitudes) {
        double total = 0;
        for (double v : magnitudes) {
            total += v;
        }
        if (total == 0) {
            return 1;
        }
        double entropy = 0;
        for (double v : magnitudes) {
            if (v > 0) {
                double p = v / total;
                entropy -= p * Math.log(p);
            }
        }
        return entropy / Math.log(magnitudes.length);
    }
}
