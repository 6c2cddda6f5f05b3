package org.xaiworkbench.evaluate;

import org.xaiworkbench.explain.Baseline;

/** What removed pixels become in the deletion and insertion curves: black, or a blurred copy of the image. */
public enum Substrate {
    BLACK, BLUR;

    /** The substrate image of {@code sample}. */
    double[] of(Sample sample, double blurSigma) {
        Baseline baseline = this == BLACK ? Baseline.black() : Baseline.blur(blurSigma);
        return baseline.of(sample.pixels(), sample.channels(), sample.height(), sample.width(), null);
    }
}
