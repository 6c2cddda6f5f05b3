package org.xaiworkbench.explain.region;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.explain.gradient.IntegratedGradients;
import org.xaiworkbench.explain.gradient.IntegrationRule;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XRAI (Kapishnikov et al. 2019), as PAIR's {@code saliency.core.XRAI} computes it with its defaults:
 * Integrated Gradients from a constant image at the picture's smallest value and from one at its largest
 * (100 steps each, {@link IntegrationRule#LINSPACE}), averaged and reduced to the largest channel per
 * pixel; regions from Felzenszwalb's segmentation at six scales of the picture normalized to [-1,1] and
 * resized to 224x224, each segment dilated by a disk of radius 5; then, greedily, the region whose new
 * pixels have the highest mean attribution is added and its new pixels get that mean, regions adding
 * fewer than 50 new pixels dropped, until the picture is covered. The map is [1,H,W] and signed.
 */
public final class Xrai extends AbstractAttribution<Xrai.Options> {
    public static final String ID = "xrai";
    /** PAIR's Felzenszwalb scales, smoothing and smallest segment, fixed in its code. */
    static final double[] SCALES = {50, 100, 150, 250, 500, 1200};
    static final double SIGMA = 0.8;
    static final int MIN_SEGMENT = 150;

    /**
     * @param steps             Integrated Gradients' steps from each of the two baselines
     * @param segmentationSize  the side the picture is resized to before segmenting (PAIR: 224)
     * @param dilationRadius    radius of the disk each region is dilated with (PAIR: 5)
     * @param minPixelDiff      a region adding fewer new pixels is dropped (PAIR: 50)
     * @param areaThreshold     the share of the picture to cover with regions; the rest gets its own mean (PAIR: 1.0)
     * @param internalBatchSize rows per graph call of Integrated Gradients
     */
    public record Options(int steps, int segmentationSize, int dilationRadius, int minPixelDiff, double areaThreshold,
                          int internalBatchSize, Score score) implements MethodOptions {
        public Options {
            OptionChecks.between("steps", steps, 1, OptionChecks.MAX_STEPS);
            OptionChecks.between("segmentationSize", segmentationSize, 8, 2048);
            OptionChecks.between("dilationRadius", dilationRadius, 0, 64);
            OptionChecks.between("minPixelDiff", minPixelDiff, 1, Integer.MAX_VALUE);
            OptionChecks.between("areaThreshold", areaThreshold, 0, 1);
            OptionChecks.between("internalBatchSize", internalBatchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        public static Options defaults() {
            return new Options(100, 224, 5, 50, 1.0, 64, Score.LOGIT);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("internalBatchSize", internalBatchSize, 2 * MemoryBudget.DOUBLE_BYTES);
        }
    }

    public Xrai(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int channels = (int) rows.size(1);
        int height = (int) rows.size(2);
        int width = (int) rows.size(3);
        double[] out = new double[n * height * width];
        for (int i = 0; i < n; i++) {
            INDArray row = rows.get(NDArrayIndex.interval(i, i + 1)).dup();
            double[] attribution = channelMax(baseAttribution(row, classes[i]), channels, height * width);
            List<int[]> regions = regions(HostValues.of(row), channels, height, width);
            System.arraycopy(ranked(attribution, regions, options.areaThreshold(), options.minPixelDiff()), 0, out,
                    i * height * width, height * width);
        }
        return HostValues.array(out, new long[]{n, 1, height, width}, rows.dataType());
    }

    /** The mean of Integrated Gradients from the picture's smallest and from its largest value, [C*H*W]. */
    double[] baseAttribution(INDArray row, int target) {
        double[] sum = null;
        for (double value : new double[]{row.minNumber().doubleValue(), row.maxNumber().doubleValue()}) {
            INDArray constant = Nd4j.valueArrayOf(row.shape(), value, row.dataType());
            IntegratedGradients ig = new IntegratedGradients(classifier, new IntegratedGradients.Options(options.steps(),
                    IntegrationRule.LINSPACE, Baseline.image(constant), options.internalBatchSize(), score, 0));
            double[] values = HostValues.of(ig.attribute(row, Target.perImage(target)).attributions());
            if (sum == null) {
                sum = values;
            } else {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] = (sum[k] + values[k]) / 2;
                }
            }
        }
        return sum;
    }

    /** PAIR's regions of a [C,H,W] picture: each scale's segments at the picture's size, dilated, as pixel lists. */
    List<int[]> regions(double[] picture, int channels, int height, int width) {
        double min = Arrays.stream(picture).min().orElseThrow();
        double max = Arrays.stream(picture).max().orElseThrow();
        double[] normalized = new double[picture.length];
        for (int k = 0; k < picture.length; k++) {
            normalized[k] = max > min ? (picture[k] - min) / (max - min) * 2 - 1 : 0;
        }
        int side = options.segmentationSize();
        double[] resized = SplineZoom.resize(normalized, channels, height, width, side, side);
        Felzenszwalb.Graph graph = Felzenszwalb.graph(resized, channels, side, side, SIGMA);
        List<int[]> regions = new ArrayList<>();
        boolean[] disk = disk(options.dilationRadius());
        for (double scale : SCALES) {
            int[] segments = Felzenszwalb.segment(graph, scale, MIN_SEGMENT);
            int[] labels = new int[height * width];
            int lowest = Integer.MAX_VALUE;
            int highest = Integer.MIN_VALUE;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    // the nearest pixel of the segmentation, as scikit-image's order-0 resize picks it
                    int sy = Math.min(side - 1, (int) Math.floor((y + 0.5) * side / height));
                    int sx = Math.min(side - 1, (int) Math.floor((x + 0.5) * side / width));
                    int label = segments[sy * side + sx];
                    labels[y * width + x] = label;
                    lowest = Math.min(lowest, label);
                    highest = Math.max(highest, label);
                }
            }
            for (int label = lowest; label <= highest; label++) {
                regions.add(dilated(labels, label, height, width, disk, options.dilationRadius()));
            }
        }
        return regions;
    }

    /**
     * XRAI's greedy ranking: the region whose new pixels have the highest mean {@code attribution} first,
     * its new pixels given that mean; regions adding fewer than {@code minPixelDiff} new pixels dropped;
     * until the covered share exceeds {@code areaThreshold} or no region is left. Pixels no region covered
     * get their own mean. Ties go to the earlier region, as in PAIR's dictionary order.
     */
    static double[] ranked(double[] attribution, List<int[]> regions, double areaThreshold, int minPixelDiff) {
        int pixels = attribution.length;
        double[] out = new double[pixels];
        Arrays.fill(out, Double.NEGATIVE_INFINITY);
        boolean[] covered = new boolean[pixels];
        int coveredCount = 0;
        Map<Integer, int[]> remaining = new LinkedHashMap<>();
        for (int r = 0; r < regions.size(); r++) {
            remaining.put(r, regions.get(r));
        }
        while ((double) coveredCount / pixels <= areaThreshold) {
            double bestGain = Double.NEGATIVE_INFINITY;
            Integer best = null;
            List<Integer> dropped = new ArrayList<>();
            for (Map.Entry<Integer, int[]> entry : remaining.entrySet()) {
                int added = 0;
                double sum = 0;
                for (int p : entry.getValue()) {
                    if (!covered[p]) {
                        added++;
                        sum += attribution[p];
                    }
                }
                if (added < minPixelDiff) {
                    dropped.add(entry.getKey());
                    continue;
                }
                double gain = sum / added;
                if (gain > bestGain) {
                    bestGain = gain;
                    best = entry.getKey();
                }
            }
            dropped.forEach(remaining::remove);
            if (remaining.isEmpty() || best == null) {
                break;
            }
            for (int p : remaining.remove(best)) {
                if (!covered[p]) {
                    covered[p] = true;
                    coveredCount++;
                    out[p] = bestGain;
                }
            }
        }
        double rest = 0;
        int restCount = 0;
        for (int p = 0; p < pixels; p++) {
            if (!covered[p]) {
                rest += attribution[p];
                restCount++;
            }
        }
        for (int p = 0; p < pixels; p++) {
            if (!covered[p]) {
                out[p] = rest / restCount;
            }
        }
        return out;
    }

    private static double[] channelMax(double[] attribution, int channels, int plane) {
        double[] out = new double[plane];
        Arrays.fill(out, Double.NEGATIVE_INFINITY);
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                out[p] = Math.max(out[p], attribution[c * plane + p]);
            }
        }
        return out;
    }

    /** scikit-image's disk(r): the offsets with dy^2 + dx^2 <= r^2, row by row. */
    private static boolean[] disk(int radius) {
        int side = 2 * radius + 1;
        boolean[] disk = new boolean[side * side];
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                disk[(dy + radius) * side + dx + radius] = dy * dy + dx * dx <= radius * radius;
            }
        }
        return disk;
    }

    /** The pixels of {@code label} dilated by the disk, in index order. */
    private static int[] dilated(int[] labels, int label, int height, int width, boolean[] disk, int radius) {
        boolean[] in = new boolean[labels.length];
        int side = 2 * radius + 1;
        for (int p = 0; p < labels.length; p++) {
            if (labels[p] != label) {
                continue;
            }
            int y = p / width;
            int x = p % width;
            for (int dy = -radius; dy <= radius; dy++) {
                for (int dx = -radius; dx <= radius; dx++) {
                    int yy = y + dy;
                    int xx = x + dx;
                    if (disk[(dy + radius) * side + dx + radius] && yy >= 0 && yy < height && xx >= 0 && xx < width) {
                        in[yy * width + xx] = true;
                    }
                }
            }
        }
        int count = 0;
        for (boolean b : in) {
            count += b ? 1 : 0;
        }
        int[] out = new int[count];
        for (int p = 0, k = 0; p < in.length; p++) {
            if (in[p]) {
                out[k++] = p;
            }
        }
        return out;
    }
}
