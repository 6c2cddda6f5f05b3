package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.Sample;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The deletion and insertion substrates against closed forms and the reference's own kernel values. */
class SubstrateTest {
    private static final double[] MEAN = {0.49, 0.48, 0.45};

    private static Sample constant(double value, int size) {
        double[] pixels = new double[3 * size * size];
        Arrays.fill(pixels, value);
        return new Sample(0, pixels, 3, size, size, 0, 0, new double[]{0, 0});
    }

    @Test
    void risesKernelIsSciPysFilteredImpulse() {
        // gaussian_filter(impulse at the centre of 11x11, 5) with SciPy 1.10, as eclique/RISE's gkern(11, 5)
        assertEquals(0.007736635408576913, RiseBlur.weight(0, 0), 1e-15);
        assertEquals(0.008832628216191647, RiseBlur.weight(5, 5), 1e-15);
        assertEquals(0.008266488021414163, RiseBlur.weight(0, 5), 1e-15);
        double sum = 0;
        for (int r = 0; r < RiseBlur.SIZE; r++) {
            for (int c = 0; c < RiseBlur.SIZE; c++) {
                sum += RiseBlur.weight(r, c);
                assertEquals(RiseBlur.weight(r, c), RiseBlur.weight(c, r), 1e-18);
            }
        }
        assertEquals(1, sum, 1e-12);
    }

    @Test
    void risesBlurKeepsAConstantInsideAndFadesToTheMeanAtTheZeroPaddedBorder() {
        Sample sample = constant(0.9, 16);
        double[] blurred = Substrate.RISE_BLUR.of(sample, 2.0, MEAN);
        int plane = 16 * 16;
        for (int ch = 0; ch < 3; ch++) {
            assertEquals(0.9, blurred[ch * plane + 8 * 16 + 8], 1e-12, "5 pixels from every border the kernel fits");
            // at the corner only the kernel's lower-right quarter (centre row and column included) sees the image
            assertEquals(MEAN[ch] + (0.9 - MEAN[ch]) * 0.2991991886882642, blurred[ch * plane], 1e-12, "corner");
        }
        assertArrayEquals(constant(MEAN[0], 16).pixels(), Arrays.copyOf(Substrate.RISE_BLUR.of(constant(MEAN[0], 16), 2.0,
                new double[]{MEAN[0], MEAN[0], MEAN[0]}), 3 * plane), 1e-12, "the mean colour is left alone");
    }

    @Test
    void theMeanSubstrateIsTheMeanColourAndBlackIsZero() {
        Sample sample = constant(0.9, 4);
        double[] mean = Substrate.MEAN.of(sample, 2.0, MEAN);
        for (int k = 0; k < mean.length; k++) {
            assertEquals(MEAN[k / 16], mean[k], 0);
        }
        assertEquals(0, Arrays.stream(Substrate.BLACK.of(sample, 2.0, MEAN)).map(Math::abs).sum(), 0);
    }
}
