package org.xaiworkbench.evaluate;

import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deletion and insertion curves of every method and image of a batch (Petsiuk et al. 2018, RISE):
 * pixels ranked by the map move in {@code steps} equal groups, from the image to the deletion
 * substrate, or from the insertion substrate to the image, and the target's score is read after each
 * group. All perturbed images of the batch go through the probe together; the curves' shared ends
 * (the image, each substrate) are scored once per image.
 */
final class DeletionInsertionCurves {
    static final String DELETION = "deletion";
    static final String INSERTION = "insertion";

    /** Per method id, per image, the scores at steps 0..K. */
    record Curves(Map<String, double[][]> deletion, Map<String, double[][]> insertion) {
    }

    private DeletionInsertionCurves() {
    }

    static Curves of(EvaluationBatch batch) {
        return batch.memo("deletion-insertion", () -> compute(batch));
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

    /** Pixels moved after step s of K: an even split of all pixels, the remainder spread over the steps. */
    static int moved(int step, int steps, int pixels) {
        return (int) Math.round((double) step * pixels / steps);
    }

    private static Curves compute(EvaluationBatch batch) {
        EvaluationConfig config = batch.config();
        int steps = config.steps();
        Score score = config.curveScore();
        List<String> methods = batch.methodIds();
        Map<String, double[][]> deletion = new LinkedHashMap<>();
        Map<String, double[][]> insertion = new LinkedHashMap<>();
        for (String id : methods) {
            deletion.put(id, new double[batch.size()][]);
            insertion.put(id, new double[batch.size()][]);
        }
        for (int i = 0; i < batch.size(); i++) {
            Sample sample = batch.samples().get(i);
            int plane = sample.pixelCount();
            double[] removed = config.deletionSubstrate().of(sample, config.blurSigma());
            double[] start = config.insertionSubstrate().of(sample, config.blurSigma());
            List<double[]> images = new ArrayList<>();
            images.add(removed);
            images.add(start);
            for (String id : methods) {
                int[] order = Maps.descendingOrder(batch.pixelMap(id, i));
                for (int s = 1; s < steps; s++) {
                    images.add(Maps.replacePixels(sample.pixels(), removed, order, 0, moved(s, steps, plane), plane));
                }
                for (int s = 1; s < steps; s++) {
                    images.add(Maps.replacePixels(start, sample.pixels(), order, 0, moved(s, steps, plane), plane));
                }
            }
            double[] scores = batch.probe().scores(images, sample, sample.target(), score);
            double original = Probe.score(sample.logits(), sample.target(), score);
            int next = 2;
            for (String id : methods) {
                double[] down = new double[steps + 1];
                double[] up = new double[steps + 1];
                down[0] = original;
                down[steps] = scores[0];
                up[0] = scores[1];
                up[steps] = original;
                for (int s = 1; s < steps; s++) {
                    down[s] = scores[next++];
                }
                for (int s = 1; s < steps; s++) {
                    up[s] = scores[next++];
                }
                deletion.get(id)[i] = down;
                insertion.get(id)[i] = up;
                for (int s = 0; s <= steps; s++) {
                    batch.addCurve(new CurvePoint(sample.index(), id, DELETION, s, (double) s / steps, "", down[s]));
                }
                for (int s = 0; s <= steps; s++) {
                    batch.addCurve(new CurvePoint(sample.index(), id, INSERTION, s, (double) s / steps, "", up[s]));
                }
            }
        }
        return new Curves(deletion, insertion);
    }
}
