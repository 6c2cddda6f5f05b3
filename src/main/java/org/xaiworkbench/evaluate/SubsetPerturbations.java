package org.xaiworkbench.evaluate;

import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random pixel subsets of one image set to black, with the target score's drop for each: drawn once
 * per image from the run's seed and shared by every method (and by infidelity and faithfulness
 * correlation), so the forward passes do not grow with the number of methods.
 *
 * @param subsets the removed pixels of each perturbation
 * @param drops   f(x) - f(x with the subset removed), under the run's perturbation score
 */
record SubsetPerturbations(int[][] subsets, double[] drops) {
    static SubsetPerturbations of(EvaluationBatch batch, int i) {
        Sample sample = batch.samples().get(i);
        return batch.memo("subsets:" + sample.index(), () -> draw(batch, sample));
    }

    /** The attribution mass of each subset: sum over its pixels of the channel-summed map. */
    double[] attributed(double[] pixelMap) {
        double[] out = new double[subsets.length];
        for (int j = 0; j < subsets.length; j++) {
            for (int p : subsets[j]) {
                out[j] += pixelMap[p];
            }
        }
        return out;
    }

    private static SubsetPerturbations draw(EvaluationBatch batch, Sample sample) {
        EvaluationConfig config = batch.config();
        int plane = sample.pixelCount();
        if (config.subsetSize() >= plane) {
            throw new IllegalArgumentException("subset size must be < the image's " + plane + " pixels, got " + config.subsetSize());
        }
        SplittableRandom random = config.random("subsets", sample.index());
        int[][] subsets = new int[config.perturbations()][];
        List<double[]> images = new ArrayList<>();
        double[] black = new double[sample.pixels().length];
        for (int j = 0; j < subsets.length; j++) {
            subsets[j] = random.ints(0, plane).distinct().limit(config.subsetSize()).toArray();
            images.add(Maps.replacePixels(sample.pixels(), black, subsets[j], 0, subsets[j].length, plane));
        }
        Score score = config.perturbationScore();
        double[] scores = batch.probe().scores(images, sample, sample.target(), score);
        double original = Probe.score(sample.logits(), sample.target(), score);
        double[] drops = new double[scores.length];
        for (int j = 0; j < drops.length; j++) {
            drops[j] = original - scores[j];
        }
        return new SubsetPerturbations(subsets, drops);
    }
}
