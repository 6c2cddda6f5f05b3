package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * KernelSHAP (Lundberg and Lee 2017) over superpixels, solved as the shap library's KernelExplainer:
 * coalitions chosen and weighted by {@link ShapleyCoalitions}, then a weighted least-squares fit of
 * the scores with the efficiency constraint built in by eliminating the last superpixel, so the
 * values always sum exactly to f(x) - f(baseline). The baseline hides every superpixel (hide colour:
 * segment mean by default, or black). With at most 2^S - 2 samples needed (S superpixels) every
 * coalition is enumerated and the values are the exact Shapley values of the superpixel game.
 * Every pixel of the map, in every channel, carries its superpixel's value; the convergence delta
 * is sum of values - (f(x) - f(baseline)), read back from the map. Score defaults to LOGIT.
 */
public final class KernelShap extends AbstractAttribution<KernelShap.Options> {
    public static final String ID = "kernel-shap";

    /**
     * @param samples   coalition budget per image; reduced to 2^S - 2 (exact enumeration) when that is smaller
     * @param hideColor what a hidden superpixel shows: MEAN (its own mean colour) or ZERO (black)
     */
    public record Options(int samples, Segmentation segmentation, Baseline.Kind hideColor, int batchSize, Score score, long seed) implements MethodOptions {
        public Options {
            OptionChecks.positive("samples", samples);
            OptionChecks.required("segmentation", segmentation, "a Segmentation");
            OptionChecks.oneOf("hideColor", hideColor, Baseline.Kind.MEAN, Baseline.Kind.ZERO);
            OptionChecks.positive("batchSize", batchSize);
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(1000, new SlicSegmentation(), Baseline.Kind.MEAN, 64, Score.LOGIT, 0L);
        }
    }

    /**
     * Shapley values of the superpixels of one image.
     *
     * @param score         f(x), the model's score of the image
     * @param baselineScore f(baseline), every superpixel hidden
     * @param coalitions    coalitions evaluated besides the image and the baseline
     * @param exact         whether every coalition was enumerated
     */
    public record Explanation(Superpixels superpixels, double[] values, double score, double baselineScore, int coalitions,
                              boolean exact) {
        /** sum(values) - (score - baselineScore); zero up to rounding by construction. */
        public double efficiencyGap() {
            return Arrays.stream(values).sum() - (score - baselineScore);
        }
    }

    public KernelShap(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public KernelShap(Classifier classifier) {
        this(classifier, Options.defaults());
    }

    @Override
    public boolean signed() {
        return true;
    }

    /** @param image [C,H,W] or [1,C,H,W] in pixel space */
    public Explanation explain(INDArray image, int targetClass, SplittableRandom random) {
        SuperpixelImage split = SuperpixelImage.of(image, options.segmentation(), Baseline.ofKind(options.hideColor()));
        int players = split.segments();
        ShapleyCoalitions coalitions = ShapleyCoalitions.choose(players, options.samples(), random);
        // evaluations: the image, the baseline, then the coalitions
        boolean[][] masks = new boolean[coalitions.masks.length + 2][];
        masks[0] = new boolean[players];
        Arrays.fill(masks[0], true);
        masks[1] = new boolean[players];
        System.arraycopy(coalitions.masks, 0, masks, 2, coalitions.masks.length);
        double[] scores = split.scores(new BatchScorer(classifier, score, options.batchSize()), targetClass, masks);
        double full = scores[0];
        double empty = scores[1];
        double gap = full - empty;
        double[] values = new double[players];
        if (players == 1) {
            values[0] = gap;
        } else {
            // y - z_last * gap = sum_{j<last} phi_j (z_j - z_last): phi_last = gap - sum phi_j holds exactly
            int last = players - 1;
            int n = coalitions.masks.length;
            double[][] design = new double[n][last];
            double[] target = new double[n];
            for (int i = 0; i < n; i++) {
                boolean[] z = coalitions.masks[i];
                double zLast = z[last] ? 1 : 0;
                for (int j = 0; j < last; j++) {
                    design[i][j] = (z[j] ? 1 : 0) - zLast;
                }
                target[i] = scores[i + 2] - empty - zLast * gap;
            }
            double[] phi = WeightedRidge.fit(design, target, coalitions.weights, 0, false).coefficients();
            double sum = 0;
            for (int j = 0; j < last; j++) {
                values[j] = phi[j];
                sum += phi[j];
            }
            values[last] = gap - sum;
        }
        return new Explanation(split.superpixels, values, full, empty, coalitions.masks.length, coalitions.exhaustive);
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int imageSize = (int) (rows.length() / n);
        double[] out = new double[(int) rows.length()];
        for (int i = 0; i < n; i++) {
            Explanation explanation = explain(rows.get(NDArrayIndex.point(i)), classes[i], random.row(i));
            SuperpixelImage.spreadOver(explanation.superpixels(), (int) rows.size(1), explanation.values(), out, i * imageSize);
        }
        return Nd4j.create(out, rows.shape(), 'c').castTo(rows.dataType());
    }

    /**
     * Re-derives each row's superpixels and scores f(baseline) (every segment hidden), reads the values
     * back from the map (one pixel per segment, channel 0) and reports sum - (f(x) - f(baseline)).
     * Superpixel images are float, so on a double model the delta also holds f(x) - f(float(x)), ~1e-8.
     */
    @Override
    protected double[] convergenceDelta(Attributed attributed) {
        INDArray rows = attributed.rows();
        INDArray attributions = attributed.attributions();
        int[] classes = attributed.classes();
        int n = (int) rows.size(0);
        double[] delta = new double[n];
        BatchScorer scorer = new BatchScorer(classifier, score, options.batchSize());
        for (int i = 0; i < n; i++) {
            SuperpixelImage split = SuperpixelImage.of(rows.get(NDArrayIndex.point(i)), options.segmentation(),
                    Baseline.ofKind(options.hideColor()));
            double[] map = attributions.get(NDArrayIndex.point(i), NDArrayIndex.point(0)).ravel().toDoubleVector();
            double[] perSegment = new double[split.segments()];
            for (int p = map.length - 1; p >= 0; p--) {
                perSegment[split.superpixels.label(p)] = map[p];
            }
            double atBaseline = split.scores(scorer, classes[i], new boolean[][]{new boolean[split.segments()]})[0];
            delta[i] = Arrays.stream(perSegment).sum() - (attributed.targetScores()[i] - atBaseline);
        }
        return delta;
    }
}
