package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.SplittableRandom;

/**
 * GradientSHAP (expected gradients; Lundberg and Lee 2017, Erion et al. 2021), as Captum's
 * {@code GradientShap}: for each of nSamples draws, a background image b, a point alpha ~ U(0,1) and
 * noise e ~ N(0, stdev^2) (pixel units; Captum's default stdev is 0), the gradient at
 * b + alpha (x + e - b) times (x + e - b); the attribution is the mean over draws. Draws for image i
 * come from its own random stream; all draws of all images go through the graph in batches. The delta
 * is sum(attributions) - (score(x) - mean over the background of score(b)), which only vanishes in
 * expectation.
 *
 * @see Background for the default background (callers should pass training images)
 */
public final class GradientShap extends GradientAttribution<GradientShap.Options> {
    public static final String ID = "gradient-shap";

    public record Options(int nSamples, double stdev, INDArray background, int internalBatchSize, Score score, long seed) implements MethodOptions {
        public Options {
            OptionChecks.between("nSamples", nSamples, 1, OptionChecks.MAX_STEPS);
            OptionChecks.between("stdev", stdev, 0, OptionChecks.MAX_STDEV);
            Background.check(background);
            OptionChecks.between("internalBatchSize", internalBatchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        /** 50 samples (Captum's default is 5; 50 matches the bench's Captum run), no noise, default background. */
        public static Options defaults() {
            return new Options(50, 0.0, null, 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("internalBatchSize", internalBatchSize, 3 * MemoryBudget.DOUBLE_BYTES);
        }

        public Options withBackground(INDArray images) {
            return new Options(nSamples, stdev, images, internalBatchSize, score, seed);
        }
    }

    private final Background background;

    public GradientShap(Classifier classifier, Options options) {
        super(ID, classifier, options);
        this.background = new Background(options.background());
    }

    public GradientShap(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int samples = options.nSamples();
        int size = Rows.imageSize(rows);
        double[][] background = this.background.images(rows);
        double[][] images = Rows.images(rows);
        SplittableRandom[] draws = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            draws[i] = random.row(i);
        }
        double[] attributions = new double[n * size];
        int total = n * samples;
        for (int start = 0; start < total; start += options.internalBatchSize()) {
            int count = Math.min(options.internalBatchSize(), total - start);
            double[] points = new double[count * size];
            double[] differences = new double[count * size];
            int[] chunkClasses = new int[count];
            for (int j = 0; j < count; j++) {
                int i = (start + j) / samples;
                chunkClasses[j] = classes[i];
                SplittableRandom draw = draws[i];
                double[] b = background[draw.nextInt(background.length)];
                double alpha = draw.nextDouble();
                for (int k = 0; k < size; k++) {
                    double noisy = options.stdev() > 0 ? images[i][k] + options.stdev() * draw.nextGaussian() : images[i][k];
                    differences[j * size + k] = noisy - b[k];
                    points[j * size + k] = b[k] + alpha * (noisy - b[k]);
                }
            }
            double[] gradients = HostValues.of(classifier.scoreGradient(Rows.batch(points, count, rows), chunkClasses, score));
            for (int j = 0; j < count; j++) {
                int i = (start + j) / samples;
                for (int k = 0; k < size; k++) {
                    attributions[i * size + k] += gradients[j * size + k] * differences[j * size + k] / samples;
                }
            }
        }
        return Rows.batch(attributions, n, rows);
    }

    @Override
    protected double[] convergenceDelta(Attributed attributed) {
        return Rows.completenessDelta(attributed, background.meanScores(classifier, score, attributed.rows(), attributed.classes()));
    }
}
