package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.SplittableRandom;

/**
 * RISE (Petsiuk et al. 2018), as its authors' code ({@code eclique/RISE}) defines it: {@code masks}
 * random binary grids of cells x cells, each cell kept with probability {@code keepProbability},
 * are upsampled bilinearly to (cells + 1) x ceil(side / cells) pixels and cropped at a random shift
 * into soft masks M; the image is shown through each mask, and the map is
 * sum_k score(x * M_k) M_k / (masks * keepProbability), the expected score given that a pixel is kept.
 * Forward passes only. The masks are drawn per image from its own stream, so they do not depend on
 * how images are batched; {@link MaskSampler} holds only the grids and shifts and rebuilds a mask
 * when it is needed, so a 224x224 input does not hold thousands of full-size masks.
 */
public final class Rise extends AbstractAttribution<Rise.Options> {
    public static final String ID = "rise";
    /** The blur a BLUR hide colour uses, in pixels: occlusion's default. */
    private static final double BLUR_SIGMA = 2.0;

    /**
     * @param masks           masks per image (the reference's N)
     * @param cells           grid cells per side before upsampling (its s)
     * @param keepProbability the chance that a cell is kept (its p1)
     * @param hideColor       what the masked-out part shows: ZERO (black, the reference's product x * M on
     *                        a model that takes pixels), MEAN (the image's mean colour) or BLUR (sigma 2 px)
     * @param score           PROBABILITY by default, as the reference explains a model ending in a softmax
     */
    public record Options(int masks, int cells, double keepProbability, Baseline.Kind hideColor, int batchSize, Score score,
                          long seed) implements MethodOptions {
        public Options {
            OptionChecks.between("masks", masks, 1, OptionChecks.MAX_SAMPLES);
            OptionChecks.between("cells", cells, 1, OptionChecks.MAX_WINDOW);
            OptionChecks.between("keepProbability", keepProbability, Double.MIN_VALUE, 1);
            OptionChecks.oneOf("hideColor", hideColor, Baseline.Kind.ZERO, Baseline.Kind.MEAN, Baseline.Kind.BLUR);
            OptionChecks.between("batchSize", batchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        /** The settings of the reference's Easy_start notebook: 2,000 masks of 8x8 cells, each kept with probability 0.5. */
        public static Options defaults() {
            return new Options(2000, 8, 0.5, Baseline.Kind.ZERO, 64, Score.PROBABILITY, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("batchSize", batchSize, MemoryBudget.FLOAT_BYTES);
        }
    }

    public Rise(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    public boolean signed() {
        return score != Score.PROBABILITY;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int channels = (int) rows.size(1);
        int height = (int) rows.size(2);
        int width = (int) rows.size(3);
        int plane = height * width;
        double[] out = new double[n * plane];
        BatchScorer scorer = new BatchScorer(classifier, score, options.batchSize());
        Baseline hidden = Baseline.filling(options.hideColor(), BLUR_SIGMA);
        for (int i = 0; i < n; i++) {
            float[] image = rows.get(NDArrayIndex.point(i)).ravel().toFloatVector();
            float[] background = hidden.of(image, channels, height, width, null, null);
            MaskSampler sampler = new MaskSampler(options.masks(), options.cells(), options.keepProbability(), height, width,
                    random.row(i));
            float[] mask = new float[plane];
            double[] scores = scorer.scores(options.masks(), channels, height, width, classes[i], (k, buffer, offset) -> {
                sampler.mask(k, mask);
                for (int c = 0; c < channels; c++) {
                    for (int p = 0; p < plane; p++) {
                        int at = c * plane + p;
                        buffer[offset + at] = background[at] + mask[p] * (image[at] - background[at]);
                    }
                }
            });
            for (int k = 0; k < options.masks(); k++) {
                sampler.mask(k, mask);
                for (int p = 0; p < plane; p++) {
                    out[i * plane + p] += scores[k] * mask[p];
                }
            }
            double scale = 1.0 / (options.masks() * options.keepProbability());
            for (int p = 0; p < plane; p++) {
                out[i * plane + p] *= scale;
            }
        }
        return Nd4j.create(out, new long[]{n, 1, height, width}, 'c').castTo(rows.dataType());
    }

    /**
     * The masks of one image: the binary grids and the shifts are drawn up front (the grids, then the
     * row shifts, then the column shifts); a mask is the grid upsampled as
     * skimage's {@code resize(order=1, mode='reflect')} does (half-pixel centres, mirrored at the
     * border) and cropped at its shift.
     */
    static final class MaskSampler {
        private final boolean[][] grids;
        private final int[] shiftY;
        private final int[] shiftX;
        private final int cells;
        private final int height;
        private final int width;
        private final Interpolation rows;
        private final Interpolation columns;
        private final double[] cell;
        private final double[] alongX;

        MaskSampler(int masks, int cells, double keepProbability, int height, int width, SplittableRandom random) {
            this(drawGrids(masks, cells, keepProbability, random), drawShifts(masks, height, cells, random),
                    drawShifts(masks, width, cells, random), cells, height, width);
        }

        MaskSampler(boolean[][] grids, int[] shiftY, int[] shiftX, int cells, int height, int width) {
            this.grids = grids;
            this.shiftY = shiftY;
            this.shiftX = shiftX;
            this.cells = cells;
            this.height = height;
            this.width = width;
            rows = new Interpolation(cells, (cells + 1) * ceilDiv(height, cells));
            columns = new Interpolation(cells, (cells + 1) * ceilDiv(width, cells));
            cell = new double[cells * cells];
            alongX = new double[cells * width];
        }

        private static boolean[][] drawGrids(int masks, int cells, double keepProbability, SplittableRandom random) {
            boolean[][] grids = new boolean[masks][cells * cells];
            for (boolean[] grid : grids) {
                for (int g = 0; g < grid.length; g++) {
                    grid[g] = random.nextDouble() < keepProbability;
                }
            }
            return grids;
        }

        /** A shift of 0..cell-1 pixels per mask, cell = ceil(side / cells). */
        private static int[] drawShifts(int masks, int side, int cells, SplittableRandom random) {
            int[] shifts = new int[masks];
            for (int k = 0; k < masks; k++) {
                shifts[k] = random.nextInt(ceilDiv(side, cells));
            }
            return shifts;
        }

        /** Writes mask k, [H,W] in c order, into {@code out}. */
        void mask(int k, float[] out) {
            boolean[] grid = grids[k];
            for (int g = 0; g < grid.length; g++) {
                cell[g] = grid[g] ? 1.0 : 0.0;
            }
            for (int gy = 0; gy < cells; gy++) {
                for (int x = 0; x < width; x++) {
                    alongX[gy * width + x] = columns.at(x + shiftX[k], cell, gy * cells, 1);
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[y * width + x] = (float) rows.at(y + shiftY[k], alongX, x, width);
                }
            }
        }

        private static int ceilDiv(int a, int b) {
            return (a + b - 1) / b;
        }
    }

    /** Linear interpolation from n samples to m outputs with half-pixel centres, mirrored about the end samples. */
    static final class Interpolation {
        private final int[] lower;
        private final int[] upper;
        private final double[] weight;

        Interpolation(int n, int m) {
            lower = new int[m];
            upper = new int[m];
            weight = new double[m];
            for (int o = 0; o < m; o++) {
                double source = mirrored((o + 0.5) * n / m - 0.5, n);
                int below = (int) Math.floor(source);
                lower[o] = Math.min(below, n - 1);
                upper[o] = Math.min(below + 1, n - 1);
                weight[o] = source - below;
            }
        }

        /** Output o from the samples at {@code samples[offset + j * stride]}, j = 0..n-1. */
        double at(int o, double[] samples, int offset, int stride) {
            double a = samples[offset + lower[o] * stride];
            double w = weight[o];
            return w == 0 ? a : a + w * (samples[offset + upper[o] * stride] - a);
        }

        private static double mirrored(double position, int n) {
            if (n == 1) {
                return 0;
            }
            double period = 2.0 * (n - 1);
            double folded = Math.abs(position) % period;
            return folded > n - 1 ? period - folded : folded;
        }
    }
}
