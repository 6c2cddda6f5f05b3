package org.xaiworkbench.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Faithfulness correlation (Bhatt et al. 2020, as Quantus): the Pearson correlation, over random pixel
 * subsets, between the map's mass on a subset and the score's drop when that subset is blacked out.
 */
public final class FaithfulnessCorrelation implements Metric {
    public static final String ID = "faithfulness-correlation";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Direction direction() {
        return Direction.HIGHER;
    }

    @Override
    public String description() {
        return "Pearson correlation between the map's mass on random pixel subsets and the score drop when they are blacked out";
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String id : batch.methodIds()) {
            double[] values = new double[batch.size()];
            for (int i = 0; i < values.length; i++) {
                SubsetPerturbations perturbations = SubsetPerturbations.of(batch, i);
                values[i] = Similarity.pearson(perturbations.attributed(batch.pixelMap(id, i)), perturbations.drops());
            }
            out.put(id, values);
        }
        return out;
    }
}
