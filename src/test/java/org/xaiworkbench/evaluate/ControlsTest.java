package org.xaiworkbench.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control maps a method must beat. */
class ControlsTest {
    @Test
    void controlsKnowNothingOfTheModel() {
        int[] shape = {3, 8, 8};
        double[] flat = new double[3 * 64];
        Arrays.fill(flat, 0.5);
        assertArrayEquals(new double[64], Controls.edges(flat, shape), 1e-12, "no edges in a flat image");
        double[] step = new double[3 * 64];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 4; x < 8; x++) {
                    step[c * 64 + y * 8 + x] = 1;
                }
            }
        }
        double[] edges = Controls.edges(step, shape);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean atStep = x == 3 || x == 4;
                assertEquals(atStep, edges[y * 8 + x] > 0, "x " + x);
            }
        }
        double[] centre = Controls.centre(8, 8);
        assertEquals(centre[3 * 8 + 3], centre[4 * 8 + 4], 1e-12);
        assertTrue(centre[3 * 8 + 3] > centre[0]);
        double[] random = Controls.random(flat, shape);
        assertArrayEquals(random, Controls.random(flat.clone(), shape), "seeded by the image");
        assertTrue(!Arrays.equals(random, Controls.random(step, shape)), "another image, another map");
        assertTrue(Arrays.stream(random).allMatch(v -> v >= 0 && v < 1));
    }
}
