package org.xaiworkbench.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {
    private static TrainConfig config(String run, Path dir) {
        return new TrainConfig(run, 1, 64, 1e-3, 0, 3, 5000, 0, 0, dir.resolve("checkpoints"), dir.resolve("weights"), false);
    }

    @Test
    void runNameThatLeavesItsFolderIsRefusedInOneLine(@TempDir Path dir) {
        for (String run : new String[]{"..", ".", "", "a/b", "../x", "a\\b", "x\u0000y", "\n"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(run, dir), run);
            assertTrue(e.getMessage().startsWith("--run must be one folder name"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void everyRunFolderIsADirectChildOfItsFolder(@TempDir Path dir) {
        for (String run : new String[]{"base", "l2", "..a", "a..", "v1.2_b-3"}) {
            TrainConfig config = config(run, dir);
            assertEquals(dir.resolve("weights"), config.runWeightsDir().getParent());
            assertEquals(dir.resolve("checkpoints"), config.runCheckpointDir().getParent());
            assertEquals(run, config.runWeightsDir().getFileName().toString());
        }
    }
}
