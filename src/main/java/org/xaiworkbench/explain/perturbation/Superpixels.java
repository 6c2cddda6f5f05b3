package org.xaiworkbench.explain.perturbation;

import java.util.Arrays;

/**
 * A segment label map: {@code labels[y * width + x]} in 0..count-1, every label used at least once.
 * Perturbation methods treat each segment as one feature that is either kept or hidden.
 */
public record Superpixels(int height, int width, int[] labels, int count) {
    public Superpixels {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("superpixel map must be at least 1x1, got " + height + "x" + width);
        }
        if (labels == null || labels.length != height * width) {
            throw new IllegalArgumentException("superpixel labels must have height*width = " + height * width + " entries, got "
                    + (labels == null ? "null" : labels.length));
        }
        boolean[] used = new boolean[Math.max(count, 0)];
        for (int label : labels) {
            if (label < 0 || label >= count) {
                throw new IllegalArgumentException("superpixel label must be in 0.." + (count - 1) + ", got " + label);
            }
            used[label] = true;
        }
        for (int s = 0; s < count; s++) {
            if (!used[s]) {
                throw new IllegalArgumentException("superpixel label " + s + " is never used (labels must cover 0.." + (count - 1) + ")");
            }
        }
        labels = labels.clone();
    }

    /**
     * Renumbers arbitrary non-negative labels to 0..S-1 in order of first appearance, so maps from any
     * segmentation library satisfy the record's contract.
     */
    public static Superpixels compact(int height, int width, int[] rawLabels) {
        int max = Arrays.stream(rawLabels).max().orElse(-1);
        int[] renumber = new int[max + 1];
        Arrays.fill(renumber, -1);
        int[] labels = new int[rawLabels.length];
        int next = 0;
        for (int p = 0; p < rawLabels.length; p++) {
            int raw = rawLabels[p];
            if (raw < 0) {
                throw new IllegalArgumentException("segmentation produced a negative label " + raw + " at pixel " + p);
            }
            if (renumber[raw] < 0) {
                renumber[raw] = next++;
            }
            labels[p] = renumber[raw];
        }
        return new Superpixels(height, width, labels, next);
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int label(int pixel) {
        return labels[pixel];
    }

    /** Pixels in each segment. */
    public int[] sizes() {
        int[] sizes = new int[count];
        for (int label : labels) {
            sizes[label]++;
        }
        return sizes;
    }
}
