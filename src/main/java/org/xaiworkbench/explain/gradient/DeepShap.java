package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.SameDiffClassifier;
import org.xaiworkbench.model.Score;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DeepSHAP, as SHAP's DeepExplainer (the report's SHAP method) and Captum's {@code DeepLiftShap}: the
 * DeepLIFT rescale-rule attributions of x against every background image, averaged. They sum to
 * logit(x) - mean over the background of logit(b), reported as the delta. All (image, background)
 * pairs go through the graph together in batches.
 *
 * @see Background for the default background (callers should pass training images)
 */
public final class DeepShap extends GradientAttribution {
    public static final String ID = "deep-shap";

    public record Options(INDArray background, int internalBatchSize, long seed) {
        public Options {
            Background.check(background);
            Rows.positive("internalBatchSize", internalBatchSize);
        }

        public static Options defaults() {
            return new Options(null, 64, 0L);
        }

        public Options withBackground(INDArray images) {
            return new Options(images, internalBatchSize, seed);
        }
    }

    private final Options options;
    private final Background background;

    public DeepShap(Classifier classifier, Options options) {
        super(classifier, Score.LOGIT, options == null ? 0L : options.seed());
        if (options == null) {
            throw new IllegalArgumentException("deep-shap options must not be null");
        }
        this.options = options;
        this.background = new Background(options.background());
    }

    public DeepShap(Classifier classifier) {
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

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("background", Background.describe(options.background()));
        out.put("internalBatchSize", options.internalBatchSize());
        out.put("score", Score.LOGIT.name());
        out.put("seed", options.seed());
        return out;
    }
}
