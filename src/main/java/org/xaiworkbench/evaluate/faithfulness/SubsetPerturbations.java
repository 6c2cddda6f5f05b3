package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;
import org.xaiworkbench.evaluate.Probe;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random subsets of one image removed, with the target score's drop for each: drawn once per image and
 * setting from the run's seed and shared by every method (and by infidelity and faithfulness
 * correlation while their options agree), so the forward passes do not grow with the number of methods.
 *
 * @param subsets the removed values of each perturbation: pixel indices, or channel-value indices
 * @param unit    what the indices count
 * @param drops   f(x) - f(x with the subset removed), under the options' score
 */
public record SubsetPerturbations(int[][] subsets, Unit unit, double[] drops) {
    /** What a subset is drawn from. */
    public enum Unit {
        /** whole pixels, every channel of each (ours: a pixel is what a map ranks) */
        PIXEL,
        /** single channel values, as Quantus draws them */
        CHANNEL
    }

    /** What removed values become. */
    public enum Fill {
        /** 0, black in pixel space */
        ZERO,
        /** the image's smallest value, Quantus' "black" */
        MIN
    }

    /**
     * The settings of {@code --set infidelity.KEY=VALUE} and {@code --set faithfulness-correlation.KEY=VALUE}.
     *
     * @param subsets  random subsets per image
     * @param fraction the share of the unit's values in each subset
     * @param unit     whole pixels or single channel values
     * @param fill     what removed values become
     * @param score    the score whose drop is read
     */
    public record Options(int subsets, double fraction, Unit unit, Fill fill, Score score) {
        public Options {
            if (subsets < 2) {
                throw new IllegalArgumentException("subsets must be >= 2, got " + subsets);
            }
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("fraction must be in (0,1), got " + fraction);
            }
            if (unit == null || fill == null || score == null) {
                throw new IllegalArgumentException("unit, fill and score must be given");
            }
        }

        /** Infidelity's: 100 subsets of 32 whole pixels of a 32x32 image (3.1 %) set to black, on the logit. */
        public static Options infidelity() {
            return new Options(100, 32.0 / 1024, Unit.PIXEL, Fill.ZERO, Score.LOGIT);
        }

        /**
         * Faithfulness correlation's: the same subsets, 300 of them. One image's correlation has a standard
         * error of about 1/sqrt(n - 3) (Fisher's z): 0.10 at Quantus' 100, too much for values below 0.15;
         * 0.058 at 300. The first 100 are infidelity's own draws.
         */
        public static Options faithfulnessCorrelation() {
            return new Options(300, 32.0 / 1024, Unit.PIXEL, Fill.ZERO, Score.LOGIT);
        }

        /** Values per subset in an image of that shape; throws when the fraction rounds to none or to all of them. */
        int size(int channels, int height, int width) {
            int units = unit == Unit.PIXEL ? height * width : channels * height * width;
            int size = (int) Math.round(fraction * units);
            if (size < 1 || size >= units) {
                throw new IllegalArgumentException("fraction " + fraction + " of the " + units + " " + (unit == Unit.PIXEL ? "pixels"
                        : "channel values") + " of a " + channels + "x" + height + "x" + width + " image is " + size
                        + " of them; it must be 1 to " + (units - 1));
            }
            return size;
        }
    }

    static SubsetPerturbations of(EvaluationBatch batch, int i, Options options) {
        Sample sample = batch.samples().get(i);
        return batch.memo("subsets:" + options + ":" + sample.index(), () -> draw(batch, sample, options));
    }

    /** The attribution mass of each subset: a pixel's is its channel-summed value, a channel value's its own (or its pixel's, for a one-channel map). */
    double[] attributed(double[] map, Sample sample) {
        double[] values = unit == Unit.PIXEL ? Maps.pixelMap(map, sample) : map;
        int plane = sample.pixelCount();
        boolean perPixel = unit == Unit.CHANNEL && map.length == plane;
        double[] out = new double[subsets.length];
        for (int j = 0; j < subsets.length; j++) {
            for (int p : subsets[j]) {
                out[j] += values[perPixel ? p % plane : p];
            }
        }
        return out;
    }

    private static SubsetPerturbations draw(EvaluationBatch batch, Sample sample, Options options) {
        int size = options.size(sample.channels(), sample.height(), sample.width());
        int plane = sample.pixelCount();
        int units = options.unit() == Unit.PIXEL ? plane : sample.pixels().length;
        SplittableRandom random = batch.config().random("subsets", sample.index());
        double fill = options.fill() == Fill.ZERO ? 0 : java.util.Arrays.stream(sample.pixels()).min().orElseThrow();
        int[][] subsets = new int[options.subsets()][];
        List<double[]> images = new ArrayList<>();
        for (int j = 0; j < subsets.length; j++) {
            subsets[j] = random.ints(0, units).distinct().limit(size).toArray();
            double[] image = sample.pixels().clone();
            for (int p : subsets[j]) {
                if (options.unit() == Unit.PIXEL) {
                    for (int c = 0; c < sample.channels(); c++) {
                        image[c * plane + p] = fill;
                    }
                } else {
                    image[p] = fill;
                }
            }
            images.add(image);
        }
        double[] scores = batch.probe().scores(images, sample, sample.target(), options.score());
        double original = Probe.score(sample.logits(), sample.target(), options.score());
        double[] drops = new double[scores.length];
        for (int j = 0; j < drops.length; j++) {
            drops[j] = original - scores[j];
        }
        return new SubsetPerturbations(subsets, options.unit(), drops);
    }
}
