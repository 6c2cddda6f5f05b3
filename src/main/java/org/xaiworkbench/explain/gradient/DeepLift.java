package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;

/**
 * DeepLIFT with the rescale rule (Shrikumar et al. 2017), as Captum's {@code DeepLift}: (x - x') times
 * multipliers obtained by a backward pass in which every ReLU's local gradient is replaced by
 * (relu(z) - relu(z')) / (z - z') and every max-pool routes the change of its window maximum to the
 * position holding it (see {@link GraphClassifier#rescaleMultipliers}). Contributions sum to
 * logit(x) - logit(x'), reported as the delta. Baseline black by default (Captum's zero tensor, here in
 * pixel space). Attributes the logit only: the rescale rule through a softmax is not Captum's default
 * and would break the summation property this method is chosen for.
 */
public final class DeepLift extends GradientAttribution<DeepLift.Options> {
    public static final String ID = "deeplift";

    public record Options(Baseline baseline, int internalBatchSize, Score score, long seed) implements MethodOptions {
        public Options {
            OptionChecks.required("baseline", baseline, "a Baseline");
            OptionChecks.between("internalBatchSize", internalBatchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.logitOnly(ID, score);
        }

        public static Options defaults() {
            return new Options(Baseline.black(), 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("internalBatchSize", internalBatchSize, 3 * MemoryBudget.DOUBLE_BYTES);
        }
    }

    private final BaselineScores baselineScores;

    public DeepLift(Classifier classifier, Options options) {
        super(ID, classifier, options);
        RescaleRule.graphOf(classifier, ID);
        this.baselineScores = new BaselineScores(classifier, score, options.baseline());
    }

    public DeepLift(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        GraphClassifier graph = RescaleRule.graphOf(classifier, ID);
        int n = (int) rows.size(0);
        int size = Rows.imageSize(rows);
        double[][] images = Rows.images(rows);
        double[][] baselines = Rows.baselines(options.baseline(), images, rows, random);
        double[] attributions = new double[n * size];
        RescaleRule.contributions(graph, rows, n, options.internalBatchSize(), i -> images[i], i -> baselines[i], i -> classes[i],
                (i, contributions, offset) -> System.arraycopy(contributions, offset, attributions, i * size, size));
        return Rows.batch(attributions, n, rows);
    }

    @Override
    protected double[] convergenceDelta(Attributed attributed) {
        return Rows.completenessDelta(attributed, baselineScores.of(attributed));
    }
}
