package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;

import java.util.Map;

/**
 * Infidelity (Yeh et al. 2019) as Captum's {@code infidelity(..., normalize=True)} with perturbations
 * that set a random pixel subset S to black, expressed in Captum's multiply-by-inputs form: the
 * explained change is the map's mass on S, the true change f(x) - f(x_S), and the map is first scaled
 * by the least-squares factor, so only its shape counts. An additive model's exact contributions score 0.
 */
public final class Infidelity extends AbstractMetric {
    public static final String ID = "infidelity";

    private final SubsetPerturbations.Options options;

    public Infidelity() {
        this(SubsetPerturbations.Options.infidelity());
    }

    public Infidelity(SubsetPerturbations.Options options) {
        super(ID, Direction.LOWER, "mean squared error between the map's mass on random pixel subsets and the score drop when they "
                + "are blacked out (scale-free)", options);
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
            return normalized(perturbations.attributed(batch.map(id, i), batch.samples().get(i)), perturbations.drops());
        });
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
