package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.CurvePoint;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;
import org.xaiworkbench.evaluate.Probe;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deletion or insertion curves of every method and image of a batch (Petsiuk et al. 2018, RISE):
 * pixels ranked by the map move in {@code steps} equal groups, from the image to the deletion
 * substrate, or from the insertion substrate to the image, and the target's score is read after each
 * group. All perturbed images of an image go through the probe together; the curves' shared end (the
 * substrate) is scored once per image.
 */
public final class DeletionInsertionCurves {
    public static final String DELETION = "deletion";
    public static final String INSERTION = "insertion";

    /**
     * The settings of one direction's curves, {@code --set deletion.KEY=VALUE} or {@code insertion.KEY=VALUE}.
     *
     * @param steps     groups the ranked pixels move in
     * @param substrate what deleted pixels become, or what insertion starts from
     * @param blurSigma sigma in pixels of the blurred substrate
     * @param score     the score the curve reads
     */
    public record Options(int steps, Substrate substrate, double blurSigma, Score score) {
        public Options {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps must be > 0, got " + steps);
            }
            if (!(blurSigma > 0)) {
                throw new IllegalArgumentException("blurSigma must be > 0, got " + blurSigma);
            }
            if (substrate == null || score == null) {
                throw new IllegalArgumentException("substrate and score must be given");
            }
        }

        /** RISE's deletion: 32 steps to black, on the probability. */
        public static Options deletion() {
            return new Options(32, Substrate.BLACK, 2.0, Score.PROBABILITY);
        }

        /** RISE's insertion: 32 steps from a blurred copy, on the probability. */
        public static Options insertion() {
            return new Options(32, Substrate.BLUR, 2.0, Score.PROBABILITY);
        }
    }

    private DeletionInsertionCurves() {
    }

    /** Per method id, per image, the scores at steps 0..K of the deletion curve. */
    static Map<String, double[][]> deletion(EvaluationBatch batch, Options options) {
        return batch.memo(DELETION + ":" + options, () -> compute(batch, options, true));
    }

    /** Per method id, per image, the scores at steps 0..K of the insertion curve. */
    static Map<String, double[][]> insertion(EvaluationBatch batch, Options options) {
        return batch.memo(INSERTION + ":" + options, () -> compute(batch, options, false));
    }

    /** Area under a curve of K+1 evenly spaced points on [0,1], by the trapezoid rule. */
    static double auc(double[] curve) {
        int k = curve.length - 1;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += (curve[i] + curve[i + 1]) / 2;
        }
        return sum / k;
    }

    /** The area under each method's curve of each image. */
    static Map<String, double[]> areas(Map<String, double[][]> curves) {
        Map<String, double[]> out = new LinkedHashMap<>();
        curves.forEach((id, perImage) -> {
            double[] values = new double[perImage.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = auc(perImage[i]);
            }
            out.put(id, values);
        });
        return out;
    }

    /** Pixels moved after step s of K: an even split of all pixels, the remainder spread over the steps. */
    static int moved(int step, int steps, int pixels) {
        return (int) Math.round((double) step * pixels / steps);
    }

    private static Map<String, double[][]> compute(EvaluationBatch batch, Options options, boolean deleting) {
        int steps = options.steps();
        List<String> methods = batch.methodIds();
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (String id : methods) {
            curves.put(id, new double[batch.size()][]);
        }
        String name = deleting ? DELETION : INSERTION;
        double[] meanColour = batch.meanColour();
        for (int i = 0; i < batch.size(); i++) {
            Sample sample = batch.samples().get(i);
            int plane = sample.pixelCount();
            double[] substrate = options.substrate().of(sample, options.blurSigma(), meanColour);
            List<double[]> images = new ArrayList<>();
            images.add(substrate);
            for (String id : methods) {
                int[] order = Maps.descendingOrder(batch.pixelMap(id, i));
                for (int s = 1; s < steps; s++) {
                    int count = moved(s, steps, plane);
                    images.add(deleting ? Maps.replacePixels(sample.pixels(), substrate, order, 0, count, plane)
                            : Maps.replacePixels(substrate, sample.pixels(), order, 0, count, plane));
                }
            }
            double[] scores = batch.probe().scores(images, sample, sample.target(), options.score());
            double original = Probe.score(sample.logits(), sample.target(), options.score());
            int next = 1;
            for (String id : methods) {
                double[] curve = new double[steps + 1];
                curve[0] = deleting ? original : scores[0];
                curve[steps] = deleting ? scores[0] : original;
                for (int s = 1; s < steps; s++) {
                    curve[s] = scores[next++];
                }
                curves.get(id)[i] = curve;
                for (int s = 0; s <= steps; s++) {
                    batch.addCurve(new CurvePoint(sample.index(), id, name, s, (double) s / steps, "", curve[s]));
                }
            }
        }
        return curves;
    }
}
