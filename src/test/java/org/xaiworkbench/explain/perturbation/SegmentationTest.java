package org.xaiworkbench.explain.perturbation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AttributionRegistry;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationTest {
    @Test
    void slicOnASmallSceneGivesAUsefulNumberOfSegmentsCoveringAllLabels() {
        for (long seed = 0; seed < 3; seed++) {
            INDArray scene = TestImages.scene(seed);

            Superpixels superpixels = new SlicSegmentation().segment(scene);

            assertTrue(superpixels.count() >= 15 && superpixels.count() <= 50, "segments " + superpixels.count());
            int[] sizes = superpixels.sizes();
            assertEquals(32 * 32, Arrays.stream(sizes).sum());
            assertTrue(Arrays.stream(sizes).allMatch(size -> size > 0), "every label 0..S-1 is used");
            assertTrue(Arrays.stream(superpixels.labels()).allMatch(l -> l >= 0 && l < superpixels.count()));
        }
    }

    @Test
    void slicFollowsColourEdges() {
        // the red disc (radius 4 around (24,7)) should not share a segment with the sky far from it
        Superpixels superpixels = new SlicSegmentation().segment(TestImages.scene(0));
        int sun = superpixels.label(7 * 32 + 24);
        int sky = superpixels.label(2 * 32 + 2);
        int grass = superpixels.label(30 * 32 + 2);
        assertTrue(sun != sky && sky != grass && sun != grass);
    }

    @Test
    void slicIsDeterministic() {
        INDArray image = TestImages.noise(1, 32, 5);
        assertArrayEquals(new SlicSegmentation().segment(image).labels(), new SlicSegmentation().segment(image).labels());
    }

    @Test
    void gridOfEightByEightGivesSixtyFourFourByFourCells() {
        Superpixels grid = new GridSegmentation(8, 8).segment(TestImages.noise(1, 32, 0));
        assertEquals(64, grid.count());
        assertTrue(Arrays.stream(grid.sizes()).allMatch(size -> size == 16));
        assertEquals(0, grid.label(0));
        assertEquals(9, grid.label(5 * 32 + 6), "row 1, column 1");
        assertEquals(63, grid.label(32 * 32 - 1));
    }

    @Test
    void compactRenumbersInOrderOfAppearance() {
        Superpixels s = Superpixels.compact(2, 2, new int[]{7, 3, 7, 10});
        assertArrayEquals(new int[]{0, 1, 0, 2}, s.labels());
        assertEquals(3, s.count());
        assertThrows(IllegalArgumentException.class, () -> new Superpixels(2, 2, new int[]{0, 0, 2, 2}, 3),
                "label 1 unused");
    }

    @Test
    void badOptionsNameTheOption() {
        assertMessage("regions", () -> new SlicSegmentation.Options(1, 200f, 10));
        assertMessage("compactness", () -> new SlicSegmentation.Options(30, 0f, 10));
        assertMessage("iterations", () -> new SlicSegmentation.Options(30, 200f, 0));
        assertMessage("rows", () -> new GridSegmentation(0, 4));
        assertMessage("cols", () -> new GridSegmentation(4, 0));
        assertMessage("grid", () -> new GridSegmentation(64, 4).of(32, 32));
    }

    @Test
    void methodsAreRegistered() {
        assertTrue(AttributionRegistry.ids().containsAll(java.util.List.of("occlusion", "lime", "kernel-shap")));
    }

    private static void assertMessage(String option, org.junit.jupiter.api.function.Executable build) {
        String message = assertThrows(IllegalArgumentException.class, build).getMessage();
        assertTrue(message.contains(option), message);
    }
}
