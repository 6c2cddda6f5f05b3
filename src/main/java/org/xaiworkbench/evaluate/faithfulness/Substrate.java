package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.explain.Baseline;

/** What removed pixels become in the deletion and insertion curves. */
public enum Substrate {
    /** black, 0 in pixel space */
    BLACK,
    /** the colour the model's input normalization maps to 0 (the dataset's mean): RISE's zeroed normalized tensor */
    MEAN,
    /** a Gaussian blur of the image with the options' sigma, reflected at the border */
    BLUR,
    /** RISE's insertion substrate: its 11x11 kernel of sigma 5 on the normalized image, zero-padded ({@link RiseBlur}) */
    RISE_BLUR;

    /**
     * The substrate image of {@code sample}.
     *
     * @param meanColour per channel, the pixel value the model's normalization maps to 0
     */
    double[] of(Sample sample, double blurSigma, double[] meanColour) {
        return switch (this) {
            case BLACK -> new double[sample.pixels().length];
            case MEAN -> {
                double[] out = new double[sample.pixels().length];
                int plane = sample.pixelCount();
                for (int k = 0; k < out.length; k++) {
                    out[k] = meanColour[k / plane];
                }
                yield out;
            }
            case BLUR -> Baseline.blur(blurSigma).of(sample.pixels(), sample.channels(), sample.height(), sample.width(), null);
            case RISE_BLUR -> RiseBlur.of(sample, meanColour);
        };
    }
}
