package org.xaiworkbench.explain.perturbation;

/** What a hidden superpixel is replaced by. */
public enum HideColor {
    /** The segment's own mean colour, per channel: lime_image's default (hide_color=None). */
    MEAN,
    /** Black (0 in pixel space). */
    ZERO;

    /** The fully hidden image for {@code image} ([C,H,W] flattened) under this rule. */
    float[] hiddenImage(float[] image, int channels, Superpixels superpixels) {
        superpixels.checkImage(image, channels);
        return switch (this) {
            case MEAN -> superpixels.meanColourImage(image, channels);
            case ZERO -> new float[image.length];
        };
    }
}
