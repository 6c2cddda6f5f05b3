package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Similarity;

import java.util.Map;

/**
 * Faithfulness correlation (Bhatt et al. 2020, as Quantus): the Pearson correlation, over random pixel
 * subsets, between the map's mass on a subset and the score's drop when that subset is blacked out.
 */
public final class FaithfulnessCorrelation extends AbstractMetric {
    public static final String ID = "faithfulness-correlation";

    private final SubsetPerturbations.Options options;

    public FaithfulnessCorrelation() {
        this(SubsetPerturbations.Options.faithfulnessCorrelation());
    }

    public FaithfulnessCorrelation(SubsetPerturbations.Options options) {
        super(ID, Direction.HIGHER, "Pearson correlation between the map's mass on random pixel subsets and the score drop "
                + "when they are blacked out", options);
        this.options = options;
    }

    @Override
    public void checkInput(int channels, int height, int width) {
        options.size(channels, height, width);
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return batch.perMethodAndImage((id, i) -> {
            SubsetPerturbations perturbations = SubsetPerturbations.of(batch, i, options);
            return Similarity.pearson(perturbations.attributed(batch.map(id, i), batch.samples().get(i)), perturbations.drops());
        });
    }
}
