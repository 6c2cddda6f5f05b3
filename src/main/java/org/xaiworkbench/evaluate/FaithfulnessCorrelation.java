package org.xaiworkbench.evaluate;

import java.util.Map;

/**
 * Faithfulness correlation (Bhatt et al. 2020, as Quantus): the Pearson correlation, over random pixel
 * subsets, between the map's mass on a subset and the score's drop when that subset is blacked out.
 */
public final class FaithfulnessCorrelation extends AbstractMetric {
    public static final String ID = "faithfulness-correlation";

    public FaithfulnessCorrelation() {
        super(ID, Direction.HIGHER, "Pearson correlation between the map's mass on random pixel subsets and the score drop "
                + "when they are blacked out");
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return batch.perMethodAndImage((id, i) -> {
            SubsetPerturbations perturbations = SubsetPerturbations.of(batch, i);
            return Similarity.pearson(perturbations.attributed(batch.pixelMap(id, i)), perturbations.drops());
        });
    }
}
