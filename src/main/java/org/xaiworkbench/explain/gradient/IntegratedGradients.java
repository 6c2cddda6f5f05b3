package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

/**
 * Integrated Gradients (Sundararajan et al. 2017), as Captum's {@code IntegratedGradients}:
 * (x - x') * integral over alpha in [0,1] of d score(x' + alpha (x - x')) / dx, the integral by
 * {@link IntegrationRule} (Gauss-Legendre by default, as Captum). Every step of every image goes
 * through the graph in batches of {@code internalBatchSize} rows. The completeness delta
 * sum(attributions) - (score(x) - score(x')) is reported per row.
 */
public final class IntegratedGradients extends GradientAttribution<IntegratedGradients.Options> {
    public static final String ID = "integrated-gradients";

    /**
     * @param steps             evaluations along the path (Captum: n_steps = 50)
     * @param rule              quadrature (Captum: method = "gausslegendre")
     * @param baseline          the reference image (black by default)
     * @param internalBatchSize rows per graph call, bounding memory
     * @param seed              for random baselines, drawn per row
     */
    public record Options(int steps, IntegrationRule rule, Baseline baseline, int internalBatchSize, Score score, long seed) implements MethodOptions {
        public Options {
            OptionChecks.between("steps", steps, 1, OptionChecks.MAX_STEPS);
            if (rule == null) {
                throw new IllegalArgumentException("rule must be one of " + java.util.Arrays.toString(IntegrationRule.values()) + ", got null");
            }
            rule.nodes(steps);
            if (baseline == null) {
                throw new IllegalArgumentException("baseline must not be null");
            }
            OptionChecks.between("internalBatchSize", internalBatchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(50, IntegrationRule.GAUSS_LEGENDRE, Baseline.black(), 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("internalBatchSize", internalBatchSize, 2 * MemoryBudget.DOUBLE_BYTES);
        }

        public Options withSteps(int newSteps, IntegrationRule newRule) {
            return new Options(newSteps, newRule, baseline, internalBatchSize, score, seed);
        }

        public Options withBaseline(Baseline newBaseline) {
            return new Options(steps, rule, newBaseline, internalBatchSize, score, seed);
        }
    }

    private final BaselineScores baselineScores;

    public IntegratedGradients(Classifier classifier, Options options) {
        super(ID, classifier, options);
        this.baselineScores = new BaselineScores(classifier, score, options.baseline());
    }

    public IntegratedGradients(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int size = Rows.imageSize(rows);
        IntegrationRule.Nodes nodes = options.rule().nodes(options.steps());
        int steps = options.steps();
        double[][] images = Rows.images(rows);
        double[][] baselines = Rows.baselines(options.baseline(), images, rows, random);
        double[] weightedGradients = new double[n * size];
        Rows.gradients(classifier, score, rows, n * steps, options.internalBatchSize(), p -> classes[p / steps],
                (p, buffer, offset) -> {
                    double[] x = images[p / steps];
                    double[] b = baselines[p / steps];
                    double alpha = nodes.alphas()[p % steps];
                    for (int j = 0; j < size; j++) {
                        buffer[offset + j] = b[j] + alpha * (x[j] - b[j]);
                    }
                },
                (p, gradients, offset) -> {
                    int i = p / steps;
                    double w = nodes.weights()[p % steps];
                    for (int j = 0; j < size; j++) {
                        weightedGradients[i * size + j] += w * gradients[offset + j];
                    }
                });
        double[] attributions = new double[n * size];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size; j++) {
                attributions[i * size + j] = (images[i][j] - baselines[i][j]) * weightedGradients[i * size + j];
            }
        }
        return Rows.batch(attributions, n, rows);
    }

    @Override
    protected double[] convergenceDelta(Attributed attributed) {
        return Rows.completenessDelta(attributed, baselineScores.of(attributed));
    }
}
