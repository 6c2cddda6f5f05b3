package org.xaiworkbench.explain.perturbation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OcclusionTest {
    private static Occlusion.Options zero(int window, int stride, int batchSize) {
        return new Occlusion.Options(window, window, stride, stride, Baseline.Kind.ZERO, 0, batchSize, Score.LOGIT);
    }

    @Test
    void aModelThatLooksAtOnePatchLightsThatPatchAndNothingElse() {
        ForwardOnlyClassifier model = ForwardOnlyClassifier.patch(8, 12, 16, 20, 2.0);
        INDArray x = TestImages.noise(1, 32, 31);
        double patchSum = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 8; y < 12; y++) {
                for (int xx = 16; xx < 20; xx++) {
                    patchSum += x.getDouble(0, c, y, xx);
                }
            }
        }

        INDArray map = new Occlusion(model, zero(4, 4, 64)).attribute(x, Target.fixed(0)).attributions();

        assertArrayEquals(x.shape(), map.shape());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int xx = 0; xx < 32; xx++) {
                    boolean inPatch = y >= 8 && y < 12 && xx >= 16 && xx < 20;
                    assertEquals(inPatch ? 2.0 * patchSum : 0, map.getDouble(0, c, y, xx), 1e-4, "pixel " + y + "," + xx);
                }
            }
        }
    }

    @Test
    void overlappingWindowsAverageAndTheLitPixelKeepsItsFullContribution() {
        // a one-pixel model: every window covering (13,21) drops the score by its full value
        ForwardOnlyClassifier model = ForwardOnlyClassifier.patch(13, 14, 21, 22, -1.5);
        INDArray x = TestImages.noise(1, 32, 32);
        double contribution = -1.5 * (x.getDouble(0, 0, 13, 21) + x.getDouble(0, 1, 13, 21) + x.getDouble(0, 2, 13, 21));

        INDArray map = new Occlusion(model, zero(8, 2, 64)).attribute(x, Target.fixed(0)).attributions();

        assertEquals(contribution, map.getDouble(0, 1, 13, 21), 1e-5);
        // a pixel shares windows with (13,21) only within 7 pixels of it on both axes
        assertEquals(0, map.getDouble(0, 0, 13, 29), 1e-9);
        assertEquals(0, map.getDouble(0, 0, 5, 21), 1e-9);
        double neighbour = map.getDouble(0, 0, 13, 22);
        assertTrue(neighbour * contribution > 0 && Math.abs(neighbour) < Math.abs(contribution),
                "a neighbour gets a fraction of the contribution: " + neighbour);
    }

    @Test
    void windowCountFollowsCaptumAndPassesAreBatched() {
        assertArrayEquals(new int[]{0, 4, 8, 12, 16, 20, 24}, Occlusion.starts(32, 8, 4));
        assertArrayEquals(new int[]{0, 8, 16, 24}, Occlusion.starts(32, 12, 8), "the last window is clipped at the border");
        assertArrayEquals(new int[]{0, 4, 8, 12, 16, 20}, Occlusion.starts(32, 12, 4));
        ForwardOnlyClassifier model = ForwardOnlyClassifier.patch(0, 1, 0, 1, 1);

        new Occlusion(model, zero(8, 4, 16)).attribute(TestImages.noise(1, 32, 1), Target.fixed(0));

        // one pass for the target in attribute(), then 49 windows + the unoccluded image in batches of 16
        assertEquals(1 + 50, model.imagesScored);
        assertEquals(1 + 4, model.forwardCalls);
        assertEquals(16, model.largestBatch);
    }

    /** The seeds' 8x8 windows at stride 4 on 32x32 keep their 7x7 window positions at any input size. */
    @Test
    void defaultWindowsScaleWithTheInput() {
        Occlusion.Options cifar = Occlusion.Options.defaults(32, 32);
        assertArrayEquals(new int[]{8, 8, 4, 4}, new int[]{cifar.windowH(), cifar.windowW(), cifar.strideH(), cifar.strideW()});
        Occlusion.Options imagenet = Occlusion.Options.defaults(224, 160);
        assertArrayEquals(new int[]{56, 40, 28, 20}, new int[]{imagenet.windowH(), imagenet.windowW(), imagenet.strideH(), imagenet.strideW()});
        assertEquals(7, (224 - imagenet.windowH()) / imagenet.strideH() + 1, "window positions down");
        assertEquals(7, (160 - imagenet.windowW()) / imagenet.strideW() + 1, "and across");
        Occlusion.Options tiny = Occlusion.Options.defaults(2, 3);
        assertTrue(tiny.windowH() >= 1 && tiny.strideW() >= 1, "never below one pixel");
    }

    @Test
    void blurredBaselineOfAConstantImageChangesNothing() {
        INDArray flat = Nd4j.valueArrayOf(new long[]{1, 3, 32, 32}, 0.4).castTo(DataType.FLOAT);
        ForwardOnlyClassifier model = ForwardOnlyClassifier.patch(4, 20, 4, 20, 1);

        INDArray map = new Occlusion(model, Occlusion.Options.defaults(32, 32)).attribute(flat, Target.fixed(0)).attributions();

        assertEquals(0, map.amaxNumber().doubleValue(), 1e-4);
    }

    @Test
    void sameMapWhateverTheBatchSize() {
        ForwardOnlyClassifier model = ForwardOnlyClassifier.patch(3, 17, 9, 30, 0.7);
        INDArray x = TestImages.noise(2, 32, 33);
        Occlusion.Options big = Occlusion.Options.defaults(32, 32);
        Occlusion.Options small = new Occlusion.Options(8, 8, 4, 4, Baseline.Kind.BLUR, 2.0, 5, Score.LOGIT);

        assertEquals(new Occlusion(model, big).attribute(x, Target.fixed(0)).attributions(),
                new Occlusion(model, small).attribute(x, Target.fixed(0)).attributions());
    }

    @Test
    void badOptionsNameTheOption() {
        assertMessage("windowH", () -> new Occlusion.Options(0, 8, 4, 4, Baseline.Kind.ZERO, 0, 64, Score.LOGIT));
        assertMessage("windowW", () -> new Occlusion.Options(8, -1, 4, 4, Baseline.Kind.ZERO, 0, 64, Score.LOGIT));
        assertMessage("strideH", () -> new Occlusion.Options(8, 8, 0, 4, Baseline.Kind.ZERO, 0, 64, Score.LOGIT));
        assertMessage("strideW", () -> new Occlusion.Options(8, 8, 4, 0, Baseline.Kind.ZERO, 0, 64, Score.LOGIT));
        assertMessage("batchSize", () -> new Occlusion.Options(8, 8, 4, 4, Baseline.Kind.ZERO, 0, 0, Score.LOGIT));
        assertMessage("blurSigma", () -> new Occlusion.Options(8, 8, 4, 4, Baseline.Kind.BLUR, 0, 64, Score.LOGIT));
        assertMessage("baseline", () -> new Occlusion.Options(8, 8, 4, 4, null, 1, 64, Score.LOGIT));
        Occlusion tooBig = new Occlusion(ForwardOnlyClassifier.patch(0, 1, 0, 1, 1), zero(40, 4, 64));
        assertMessage("window", () -> tooBig.attribute(TestImages.noise(1, 32, 1), Target.fixed(0)));
    }

    private static void assertMessage(String option, org.junit.jupiter.api.function.Executable build) {
        String message = assertThrows(IllegalArgumentException.class, build).getMessage();
        assertTrue(message.contains(option), message);
    }
}
