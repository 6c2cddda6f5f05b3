package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.SameDiffClassifier;
import org.xaiworkbench.model.Score;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DeepLIFT with the rescale rule (Shrikumar et al. 2017), as Captum's {@code DeepLift}: (x - x') times
 * multipliers obtained by a backward pass in which every ReLU's local gradient is replaced by
 * (relu(z) - relu(z')) / (z - z') and every max-pool routes the change of its window maximum to the
 * position holding it (see {@link SameDiffClassifier#rescaleMultipliers}). Contributions sum to
 * logit(x) - logit(x'), reported as the delta. Baseline black by default (Captum's zero tensor, here in
 * pixel space). Attributes the logit only: the rescale rule through a softmax is not Captum's default
 * and would break the summation property this method is chosen for.
 */
public final class DeepLift extends GradientAttribution {
    public static final String ID = "deeplift";

    public record Options(Baseline baseline, int internalBatchSize, long seed) {
        public Options {
            if (baseline == null) {
                throw new IllegalArgumentException("baseline must not be null");
            }
            Rows.positive("internalBatchSize", internalBatchSize);
        }

        public static Options defaults() {
            return new Options(Baseline.black(), 64, 0L);
        }
    }

    private final Options options;
    private final BaselineScores baselineScores;

    public DeepLift(Classifier classifier, Options options) {
        super(classifier, Score.LOGIT, options == null ? 0L : options.seed());
        if (options == null) {
            throw new IllegalArgumentException("deeplift options must not be null");
        }
        this.options = options;
        this.baselineScores = new BaselineScores(classifier, score, options.baseline());
    }

    public DeepLift(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        SameDiffClassifier graph = RescaleRule.graphOf(classifier, ID);
        int n = (int) rows.size(0);
        int size = Rows.imageSize(rows);
        double[][] images = Rows.images(rows);
        double[][] baselines = options.baseline().ofRows(images, rows, random);
        double[] attributions = new double[n * size];
        RescaleRule.contributions(graph, rows, n, options.internalBatchSize(), i -> images[i], i -> baselines[i], i -> classes[i],
                (i, contributions, offset) -> System.arraycopy(contributions, offset, attributions, i * size, size));
        return Rows.batch(attributions, n, rows);
    }

    @Override
    protected double[] convergenceDelta(Attributed attributed) {
        return Rows.completenessDelta(attributed, baselineScores.of(attributed));
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseline", options.baseline().toString());
        out.put("internalBatchSize", options.internalBatchSize());
        out.put("score", Score.LOGIT.name());
        out.put("seed", options.seed());
        return out;
    }
}
