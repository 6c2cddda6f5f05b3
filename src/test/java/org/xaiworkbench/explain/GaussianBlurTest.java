package org.xaiworkbench.explain;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianBlurTest {
    private static final int SIZE = 32;

    /** The normalised kernel's tap at offset t: exp(-t^2 / (2 sigma^2)) / sum over -radius..radius. */
    private static double tap(GaussianBlur blur, int t) {
        if (Math.abs(t) > blur.radius()) {
            return 0;
        }
        double total = 0;
        for (int s = -blur.radius(); s <= blur.radius(); s++) {
            total += Math.exp(-0.5 * s * s / (blur.sigma() * blur.sigma()));
        }
        return Math.exp(-0.5 * t * t / (blur.sigma() * blur.sigma())) / total;
    }

    private static double[] delta(int y, int x) {
        double[] image = new double[SIZE * SIZE];
        image[y * SIZE + x] = 1;
        return image;
    }

    @Test
    void aConstantImageStaysConstantUnderEitherBorder() {
        double[] constant = new double[2 * 8 * 8];
        Arrays.fill(constant, 0.3);
        for (double sigma : new double[]{0.1, 1, 2, 5}) {
            // sigma 5 reaches beyond an 8x8 image, so the mirror repeats
            for (GaussianBlur blur : List.of(GaussianBlur.reflected(sigma), GaussianBlur.renormalized(sigma))) {
                for (double v : blur.apply(constant, 2, 8, 8)) {
                    assertEquals(0.3, v, 1e-12, blur.toString());
                }
            }
        }
    }

    @Test
    void aDeltaAwayFromTheBorderBecomesTheNormalisedKernelAndKeepsItsMass() {
        for (GaussianBlur blur : List.of(GaussianBlur.reflected(2), GaussianBlur.renormalized(2))) {
            double[] blurred = blur.apply(delta(16, 16), 1, SIZE, SIZE);
            double sum = 0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    assertEquals(tap(blur, y - 16) * tap(blur, x - 16), blurred[y * SIZE + x], 1e-15, blur + " at " + y + "," + x);
                    sum += blurred[y * SIZE + x];
                }
            }
            assertEquals(1, sum, 1e-12, blur.toString());
        }
    }

    @Test
    void reflectFoldsTheKernelBackAtTheEdgeSoACornerDeltaKeepsItsMass() {
        GaussianBlur blur = GaussianBlur.reflected(1.5);
        double[] blurred = blur.apply(delta(0, 0), 1, SIZE, SIZE);
        double sum = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                // pixel 0 is read both at offset -y and, mirrored, at -y - 1
                double expected = (tap(blur, y) + tap(blur, y + 1)) * (tap(blur, x) + tap(blur, x + 1));
                assertEquals(expected, blurred[y * SIZE + x], 1e-15, y + "," + x);
                sum += blurred[y * SIZE + x];
            }
        }
        assertEquals(1, sum, 1e-12);
    }

    @Test
    void renormalizedDividesEachOutputByTheKernelShareInsideTheImage() {
        GaussianBlur blur = GaussianBlur.renormalized(1.5);
        double[] inside = new double[SIZE];
        for (int p = 0; p < SIZE; p++) {
            for (int t = -blur.radius(); t <= blur.radius(); t++) {
                inside[p] += p + t >= 0 && p + t < SIZE ? tap(blur, t) : 0;
            }
        }
        double[] blurred = blur.apply(delta(0, 0), 1, SIZE, SIZE);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double expected = tap(blur, y) * tap(blur, x) / (inside[y] * inside[x]);
                assertEquals(expected, blurred[y * SIZE + x], 1e-15, y + "," + x);
            }
        }
    }

    @Test
    void eachRuleHasItsRadius() {
        assertEquals(6, GaussianBlur.reflected(2).radius());
        assertEquals(5, GaussianBlur.renormalized(2).radius());
        assertEquals(0, GaussianBlur.renormalized(0.1).radius());
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("sigma", () -> GaussianBlur.reflected(0));
        assertMessage("sigma", () -> GaussianBlur.renormalized(Double.POSITIVE_INFINITY));
        assertMessage("radius", () -> new GaussianBlur(1, -1, GaussianBlur.Border.REFLECT));
        assertMessage("border", () -> new GaussianBlur(1, 3, null));
        assertMessage("values", () -> GaussianBlur.reflected(1).apply(new double[10], 1, 3, 3));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(message.contains(part), message);
    }
}
