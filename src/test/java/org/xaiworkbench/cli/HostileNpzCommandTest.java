package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.data.NpyBytes;
import org.xaiworkbench.data.ZipBytes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.cli.CliRuns.withStderr;
import static org.xaiworkbench.data.NpyBytes.npy;

/** {@code --model hostile.npz}: exit 2 and one line naming the file, the entry and what is wrong (issue 22, rows 2 to 5). */
class HostileNpzCommandTest {
    @Test
    void hostileStateDictsEndInOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("header-lie", NpyBytes.withHeaderLength(npy("<f4", false, "(4,)", new byte[16]), 60000));
        entries.put("object", npy("|O", false, "(2,)", new byte[16]));
        entries.put("huge", npy("<f4", false, "(100000, 100000, 3, 3)", new byte[400]));
        entries.put("short", npy("<f4", false, "(64, 3, 3, 3)", new byte[100]));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            Path file = Files.write(dir.resolve(e.getKey() + ".npz"), ZipBytes.zip(ZipBytes.deflated("conv_layers.0.weight.npy", e.getValue())));
            String[] captured = new String[1];
            int code = withStderr(captured, () -> Main.run("layers", "--model", file.toString()));
            assertEquals(2, code, captured[0]);
            assertEquals(1, captured[0].strip().lines().count(), captured[0]);
            assertTrue(captured[0].startsWith("error: --model " + file + ": entry 'conv_layers.0.weight.npy': "), captured[0]);
        }
    }
}
