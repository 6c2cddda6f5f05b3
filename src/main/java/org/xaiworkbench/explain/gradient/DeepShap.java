package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;

/**
 * DeepSHAP, as SHAP's DeepExplainer (the report's SHAP method) and Captum's {@code DeepLiftShap}: the
 * DeepLIFT rescale-rule attributions of x against every background image, averaged. They sum to
 * logit(x) - mean over the background of logit(b), reported as the delta. All (image, background)
 * pairs go through the graph together in batches.
 *
 * @see Background for the default background (callers should pass training images)
 */
public final class DeepShap extends GradientAttribution<DeepShap.Options> {
    public static final String ID = "deep-shap";

    public record Options(INDArray background, int internalBatchSize, Score score, long seed) implements MethodOptions {
        public Options {
            Background.check(background);
            OptionChecks.between("internalBatchSize", internalBatchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.logitOnly(ID, score);
        }

        public static Options defaults() {
            return new Options(null, 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("internalBatchSize", internalBatchSize, 3 * MemoryBudget.DOUBLE_BYTES);
        }

        public Options withBackground(INDArray images) {
            return new Options(images, internalBatchSize, score, seed);
        }
    }

    private final Background background;

    public DeepShap(Classifier classifier, Options options) {
        super(ID, classifier, options);
        RescaleRule.graphOf(classifier, ID);
        this.background = new Background(options.background());
    }

    public DeepShap(Classifier classifier) {
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
        double[][] background = this.background.images(rows);
        int references = background.length;
        double[][] images = Rows.images(rows);
        double[] attributions = new double[n * size];
        RescaleRule.contributions(graph, rows, n * references, options.internalBatchSize(), p -> images[p / references],
                p -> background[p % references], p -> classes[p / references],
                (p, contributions, offset) -> {
                    int i = p / references;
                    for (int k = 0; k < size; k++) {
                        attributions[i * size + k] += contributions[offset + k] / references;
                    }
                });
        return Rows.batch(attributions, n, rows);
    }

    @Override
    protected double[] convergenceDelta(Attributed attributed) {
        return Rows.completenessDelta(attributed, background.meanScores(classifier, score, attributed.rows(), attributed.classes()));
    }
}
