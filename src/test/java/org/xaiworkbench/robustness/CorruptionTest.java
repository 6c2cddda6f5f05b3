package org.xaiworkbench.robustness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorruptionTest {
    private static final List<Corruption> ALL = List.of(new PixelDropout(), new GaussianNoise(), new Brightness());

    private static INDArray images(int n, long seed) {
        Random random = new Random(seed);
        float[] data = new float[n * 3 * 8 * 8];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        return Nd4j.create(data, new long[]{n, 3, 8, 8}, 'c');
    }

    private static float[] pixels(INDArray x) {
        return x.dup('c').data().asFloat();
    }

    @Test
    void strengthZeroIsTheIdentity() {
        INDArray x = images(3, 1);
        for (Corruption c : ALL) {
            assertArrayEquals(pixels(x), pixels(c.apply(x, 0, 99)), 0f, c.id());
        }
    }

    @Test
    void sameSeedSameOutputOtherSeedOtherOutput() {
        // enough images that two seeds' brightness coins (one per image) differ somewhere
        INDArray x = images(12, 2);
        for (Corruption c : ALL) {
            assertArrayEquals(pixels(c.apply(x, 0.2, 5)), pixels(c.apply(x, 0.2, 5)), 0f, c.id());
            assertFalse(Arrays.equals(pixels(c.apply(x, 0.2, 5)), pixels(c.apply(x, 0.2, 6))), c.id());
        }
    }

    @Test
    void outputsAreValidImagesAndInputsAreUntouched() {
        INDArray x = images(4, 3);
        float[] before = pixels(x);
        for (Corruption c : ALL) {
            INDArray y = c.apply(x, 0.9, 1);
            assertArrayEquals(x.shape(), y.shape(), c.id());
            for (float v : pixels(y)) {
                assertTrue(v >= 0 && v <= 1, c.id() + " gave " + v);
            }
        }
        assertArrayEquals(before, pixels(x), 0f);
    }

    @Test
    void dropoutBlacksOutWholePixelsAtTheRate() {
        INDArray x = Nd4j.ones(20, 3, 8, 8).castTo(DataType.FLOAT);
        float[] y = pixels(new PixelDropout().apply(x, 0.3, 4));
        int plane = 64;
        int dropped = 0;
        for (int image = 0; image < 20; image++) {
            for (int p = 0; p < plane; p++) {
                float r = y[(image * 3) * plane + p];
                assertEquals(r, y[(image * 3 + 1) * plane + p], 0f, "all channels of a pixel drop together");
                assertEquals(r, y[(image * 3 + 2) * plane + p], 0f, "all channels of a pixel drop together");
                dropped += r == 0f ? 1 : 0;
            }
        }
        double rate = dropped / (20.0 * plane);
        // 1280 Bernoulli(0.3) draws: standard error 0.0128, so 0.3 ± 0.05 is about 4 standard errors.
        assertEquals(0.3, rate, 0.05);
        assertTrue(Arrays.equals(new float[(int) x.length()], pixels(new PixelDropout().apply(x, 1, 4))), "rate 1 is black");
    }

    @Test
    void noiseHasTheRequestedStandardDeviationAwayFromTheBounds() {
        INDArray gray = Nd4j.valueArrayOf(new long[]{10, 3, 8, 8}, 0.5f);
        float[] y = pixels(new GaussianNoise().apply(gray, 0.05, 8));
        double sum = 0;
        double squares = 0;
        for (float v : y) {
            sum += v - 0.5;
            squares += (v - 0.5) * (v - 0.5);
        }
        double mean = sum / y.length;
        double sd = Math.sqrt(squares / y.length - mean * mean);
        // 1920 draws; clamping at 10 sigma never happens.
        assertEquals(0, mean, 0.005);
        assertEquals(0.05, sd, 0.004);
    }

    @Test
    void brightnessShiftsEachImageByExactlyDeltaUpOrDown() {
        INDArray gray = Nd4j.valueArrayOf(new long[]{16, 3, 8, 8}, 0.5f);
        float[] y = pixels(new Brightness().apply(gray, 0.2, 3));
        int perImage = 3 * 64;
        int brighter = 0;
        for (int image = 0; image < 16; image++) {
            float first = y[image * perImage];
            assertEquals(0.2, Math.abs(first - 0.5), 1e-6);
            for (int i = 0; i < perImage; i++) {
                assertEquals(first, y[image * perImage + i], 0f);
            }
            brighter += first > 0.5 ? 1 : 0;
        }
        assertTrue(brighter > 0 && brighter < 16, "both directions should occur, got " + brighter + " brighter of 16");
    }

    @Test
    void badStrengthsNameTheOption() {
        INDArray x = images(1, 1);
        assertMessage("rate", () -> new PixelDropout().apply(x, 1.5, 0));
        assertMessage("rate", () -> new PixelDropout().apply(x, -0.1, 0));
        assertMessage("sigma", () -> new GaussianNoise().apply(x, -0.1, 0));
        assertMessage("delta", () -> new Brightness().apply(x, Double.NaN, 0));
        assertMessage("shape", () -> new Brightness().apply(Nd4j.ones(3, 4), 0.1, 0));
    }

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should name " + expected);
    }
}
