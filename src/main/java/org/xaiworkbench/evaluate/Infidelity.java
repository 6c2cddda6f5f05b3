package org.xaiworkbench.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Infidelity (Yeh et al. 2019) as Captum's {@code infidelity(..., normalize=True)} with perturbations
 * that set a random pixel subset S to black, expressed in Captum's multiply-by-inputs form: the
 * explained change is the map's mass on S, the true change f(x) - f(x_S), and the map is first scaled
 * by the least-squares factor, so only its shape counts. An additive model's exact contributions score 0.
 */
public final class Infidelity implements Metric {
    public static final String ID = "infidelity";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Direction direction() {
        return Direction.LOWER;
    }

    @Override
    public String description() {
        return "mean squared error between the map's mass on random pixel subsets and the score drop when they are blacked out (scale-free)";
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String id : batch.methodIds()) {
            double[] values = new double[batch.size()];
            for (int i = 0; i < values.length; i++) {
                SubsetPerturbations perturbations = SubsetPerturbations.of(batch, i);
                values[i] = normalized(perturbations.attributed(batch.pixelMap(id, i)), perturbations.drops());
            }
            out.put(id, values);
        }
        return out;
    }

    /** min over beta of mean (beta * explained - drop)^2; beta is 0 where the map explains nothing. */
    static double normalized(double[] explained, double[] drops) {
        double ee = 0;
        double ed = 0;
        double dd = 0;
        for (int j = 0; j < drops.length; j++) {
            ee += explained[j] * explained[j];
            ed += explained[j] * drops[j];
            dd += drops[j] * drops[j];
        }
        double beta = ee == 0 ? 0 : ed / ee;
        return Math.max(0, beta * beta * ee - 2 * beta * ed + dd) / drops.length;
    }
}
