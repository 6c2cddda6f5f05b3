package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.Baseline;

/**
 * One image split into superpixels, with its fully hidden version: the material LIME and KernelSHAP
 * compose their perturbations from (a kept segment shows the image, a hidden one the baseline).
 */
final class SuperpixelImage {
    final float[] image;
    final float[] hidden;
    final Superpixels superpixels;
    final int channels;
    final int height;
    final int width;

    private SuperpixelImage(float[] image, float[] hidden, Superpixels superpixels, int channels, int height, int width) {
        this.image = image;
        this.hidden = hidden;
        this.superpixels = superpixels;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** @param image [C,H,W] or [1,C,H,W] in pixel space */
    static SuperpixelImage of(INDArray image, Segmentation segmentation, Baseline hidden) {
        long[] shape = Segmentation.imageShape(image);
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        float[] pixels = image.reshape(channels, height, width).ravel().toFloatVector();
        Superpixels superpixels = segmentation.segment(image);
        if (superpixels.height() != height || superpixels.width() != width) {
            throw new IllegalStateException(segmentation.describe() + " returned a " + superpixels.height() + "x"
                    + superpixels.width() + " map for a " + height + "x" + width + " image");
        }
        return new SuperpixelImage(pixels, hidden.of(pixels, channels, height, width, null, superpixels.labels()), superpixels,
                channels, height, width);
    }

    int segments() {
        return superpixels.count();
    }

    /** The image with segment s shown where keep[s], hidden otherwise, written at buffer[offset..]. */
    void write(boolean[] keep, float[] buffer, int offset) {
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            float[] source = keep[superpixels.label(p)] ? image : hidden;
            for (int c = 0; c < channels; c++) {
                buffer[offset + c * plane + p] = source[c * plane + p];
            }
        }
    }

    /** A [C,H,W] map giving every pixel, in every channel, its segment's value; written at out[offset..]. */
    static void spreadOver(Superpixels superpixels, int channels, double[] perSegment, double[] out, int offset) {
        int plane = superpixels.height() * superpixels.width();
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                out[offset + c * plane + p] = perSegment[superpixels.label(p)];
            }
        }
    }

    double[] scores(BatchScorer scorer, int targetClass, boolean[][] masks) {
        return scorer.scores(masks.length, channels, height, width, targetClass,
                (index, buffer, offset) -> write(masks[index], buffer, offset));
    }
}
