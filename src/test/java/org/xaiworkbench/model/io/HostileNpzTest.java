package org.xaiworkbench.model.io;

import org.xaiworkbench.model.vgg.PyTorchStateDict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.MemoryUse;
import org.xaiworkbench.data.NpyBytes;
import org.xaiworkbench.data.NpyReader;
import org.xaiworkbench.data.NpzReader;
import org.xaiworkbench.data.ZipBytes;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.data.NpyBytes.npy;

/**
 * Rows 2 to 5 of issue 22: hostile {@code .npz} state dicts, which ND4J's native reader aborted on, crashed on, ran out
 * of memory on or read past the end of. Each now loads correctly or is one line naming the file and the entry.
 */
class HostileNpzTest {
    @TempDir
    Path dir;

    private Path npz(String name, ZipBytes.Entry... entries) throws IOException {
        return Files.write(dir.resolve(name), ZipBytes.zip(entries));
    }

    private static String refusal(Path file, String entry) {
        DataException e = assertThrows(DataException.class, () -> PyTorchStateDict.readNpz(file));
        assertTrue(e.getMessage().startsWith(file + ": entry '" + entry + "': ") && !e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void row2_aBigEndianStateDictReadsBackAsItsValuesAndAHeaderLengthLieIsOneLine() throws Exception {
        Nd4j.getRandom().setSeed(22);
        INDArray weight = Nd4j.rand(DataType.FLOAT, 64, 3, 3, 3).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.DOUBLE, 64);
        Path file = npz("big-endian.npz",
                ZipBytes.deflated("conv_layers.0.weight.npy", npy(">f4", false, "(64, 3, 3, 3)",
                        NpyBytes.floats(ByteOrder.BIG_ENDIAN, weight.reshape(weight.length()).toFloatVector()))),
                ZipBytes.stored("conv_layers.0.bias.npy", npy(">f8", false, "(64,)",
                        NpyBytes.doubles(ByteOrder.BIG_ENDIAN, bias.toDoubleVector()))));
        Map<String, INDArray> read = PyTorchStateDict.readNpz(file);
        assertEquals(weight, read.get("conv_layers.0.weight"));
        assertEquals(bias, read.get("conv_layers.0.bias"));

        byte[] lie = NpyBytes.withHeaderLength(npy("<f4", false, "(4,)", new byte[16]), 60000);
        assertTrue(refusal(npz("header-lie.npz", ZipBytes.deflated("a.npy", lie)), "a.npy").contains("the header claims 60000 bytes"));
    }

    @Test
    void row3_objectComplexAndStringArraysAreRefusedByTheirDtype() throws Exception {
        String[][] cases = {{"|O", "Python objects"}, {"<c8", "complex numbers"}, {"<U10", "strings"}};
        for (String[] c : cases) {
            Path file = npz("dtype.npz", ZipBytes.deflated("w.npy", npy(c[0], false, "(2,)", new byte[80])));
            String message = refusal(file, "w.npy");
            assertTrue(message.contains("dtype '" + c[0] + "' holds " + c[1]), message);
        }
    }

    @Test
    void row4_hugeAndNegativeShapesAndAZipBombAreRefusedWithoutTheirMemory() throws Exception {
        assertTrue(refusal(npz("huge.npz", ZipBytes.deflated("w.npy", npy("<f4", false, "(100000, 100000, 3, 3)", new byte[400]))),
                "w.npy").contains("takes 360000000000 bytes, more than the " + NpyReader.MAX_ARRAY_BYTES));
        assertTrue(refusal(npz("negative.npz", ZipBytes.deflated("w.npy", npy("<f4", false, "(-64, 3, 3, 3)", new byte[400]))),
                "w.npy").contains("negative dimension"));

        // 3 GiB of zeros behind a header that says so, in 3 MB of file
        int mebibytes = 3 * 1024;
        byte[] honestHeader = npy("<f4", false, "(" + (mebibytes * 262_144L) + ",)", new byte[0]);
        ZipBytes.Entry bomb = ZipBytes.zeroBomb("w.npy", honestHeader, mebibytes);
        Path honest = npz("bomb.npz", bomb);
        assertTrue(Files.size(honest) < 4_000_000);
        // the same zeros behind a header declaring four floats, the zip directory agreeing with the header
        byte[] smallHeader = npy("<f4", false, "(4,)", new byte[0]);
        Path lying = npz("lying-bomb.npz", ZipBytes.zeroBomb("w.npy", smallHeader, mebibytes).claimingSize(smallHeader.length + 16));
        // the honest header behind a zip directory that claims a kilobyte
        Path understated = npz("understated-bomb.npz", bomb.claimingSize(1000));
        // three honest 1.5 GiB entries, each under the limit for one array
        byte[] halfHeader = npy("<f4", false, "(" + (1536 * 262_144L) + ",)", new byte[0]);
        ZipBytes.Entry half = ZipBytes.zeroBomb("a.npy", halfHeader, 1536);
        Path many = npz("many-bombs.npz", half, half.named("b.npy"), half.named("c.npy"));
        Map<Path, String> expected = Map.of(honest, "the zip directory says it inflates to 3221225600 bytes",
                many, "take 4831838592 bytes by the zip directory, more than the " + NpzReader.MAX_TOTAL_BYTES,
                lying, "takes 16 bytes but more data follows",
                understated, "takes 3221225472 bytes, more than the " + NpyReader.MAX_ARRAY_BYTES);
        expected.forEach((file, reason) -> {
            MemoryUse memory = MemoryUse.start();
            String message = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(file, file == many ? "c.npy" : "w.npy"));
            assertTrue(memory.bytes() < 64 << 20, file + ": " + memory.bytes() + " bytes");
            assertTrue(message.contains(reason), message);
        });
    }

    @Test
    void row5_aHeaderFollowedByTooLittleDataIsRefused() throws Exception {
        Path file = npz("short.npz", ZipBytes.deflated("conv_layers.0.weight.npy", npy("<f4", false, "(64, 3, 3, 3)", new byte[100])));
        assertTrue(refusal(file, "conv_layers.0.weight.npy").contains("(64, 3, 3, 3) of <f4 takes 6912 bytes but 100 bytes of data follow"));
    }
}
