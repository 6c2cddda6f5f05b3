package org.xaiworkbench.viz;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;

import java.util.Arrays;

/**
 * One attribution map reduced to a single plane, ready to colour. Channels are summed as Captum's
 * visualiser does, so a signed map keeps its sign and a magnitude is |sum over channels|.
 */
public record Heatmap(double[] values, int width, int height) {
    /** Percent of the total magnitude treated as outliers and clipped, Captum's default. */
    public static final double OUTLIER_PERCENT = 2;
    /** Guards min-max scaling of maps whose spread is tiny but not zero. */
    public static final double EPSILON = 1e-12;

    public Heatmap {
        if (values.length != width * height) {
            throw new IllegalArgumentException("heat map needs " + width * height + " values, got " + values.length);
        }
    }

    /** @param map [1,C,H,W] or [C,H,W] attributions of one image */
    public static Heatmap of(INDArray map) {
        INDArray planes = map.rank() == 4 ? map.reshape(map.size(1), map.size(2), map.size(3)) : map;
        if (planes.rank() != 3) {
            throw new IllegalArgumentException("heat map needs [1,C,H,W] or [C,H,W], got " + Arrays.toString(map.shape()));
        }
        double[] summed = HostValues.of(planes.castTo(DataType.DOUBLE).sum(0));
        return new Heatmap(summed, (int) planes.size(2), (int) planes.size(1));
    }

    public Degeneracy degeneracy() {
        return Degeneracy.of(values);
    }

    public Heatmap magnitude() {
        return new Heatmap(Arrays.stream(values).map(Math::abs).toArray(), width, height);
    }

    /**
     * Min-max scaled to [0,1], where the top of the range is Captum's robust maximum (see
     * {@link #robustMax}) so that a few extreme pixels do not leave the rest of a gradient map black;
     * values above it are clipped to 1.
     */
    public double[] unsignedScaled() {
        double min = Arrays.stream(values).min().orElse(0);
        double top = robustMax(Arrays.stream(values).map(v -> v - min).toArray()) + EPSILON;
        return Arrays.stream(values).map(v -> Math.min((v - min) / top, 1)).toArray();
    }

    /** Divided by the robust maximum magnitude and clipped to [-1,1], so zero stays zero (white) and the sign is kept. */
    public double[] signedScaled() {
        double top = robustMax(Arrays.stream(values).map(Math::abs).toArray()) + EPSILON;
        return Arrays.stream(values).map(v -> Math.max(-1, Math.min(v / top, 1))).toArray();
    }

    /**
     * Captum's visualize_image_attr scale (outlier_perc = {@value #OUTLIER_PERCENT}): the smallest value v
     * such that the values up to v hold {@code 100 - OUTLIER_PERCENT} percent of the total.
     *
     * @param magnitudes non-negative values
     */
    static double robustMax(double[] magnitudes) {
        double[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        double total = Arrays.stream(sorted).sum();
        double running = 0;
        for (double v : sorted) {
            running += v;
            if (running >= total * (100 - OUTLIER_PERCENT) / 100) {
                return v;
            }
        }
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }
}
