package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.data.NpyBytes.npy;

class NpzReaderTest {
    @TempDir
    Path dir;

    private static final byte[] WEIGHT = npy("<f4", false, "(2,)", NpyBytes.floats(LITTLE_ENDIAN, 1.5f, -2));

    @Test
    void arraysComeByEntryNameInTheFilesOrderAndOtherEntriesAreIgnored() throws Exception {
        Path file = Files.write(dir.resolve("a.npz"), ZipBytes.zip(ZipBytes.stored("z.npy", WEIGHT),
                ZipBytes.deflated("notes.txt", new byte[]{'h', 'i'}), ZipBytes.deflated("a.npy", WEIGHT)));
        Map<String, INDArray> arrays = NpzReader.read(file);
        assertEquals(List.of("z", "a"), List.copyOf(arrays.keySet()));
        assertArrayEquals(new float[]{1.5f, -2}, arrays.get("a").toFloatVector());
    }

    @Test
    void bytesThatDoNotMatchTheZipsChecksumAreRefused() throws Exception {
        byte[] zip = ZipBytes.zip(ZipBytes.stored("w.npy", WEIGHT));
        // the last data byte of the only, stored entry: part of the float -2, after the 30-byte local header and the name
        zip[30 + "w.npy".length() + WEIGHT.length - 1] ^= 1;
        Path file = Files.write(dir.resolve("flipped.npz"), zip);
        DataException e = assertThrows(DataException.class, () -> NpzReader.read(file));
        assertEquals(file + ": entry 'w.npy': its bytes do not match the zip's checksum (the file is damaged)", e.getMessage());
    }

    @Test
    void anEntryGivenTwiceIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("twice.npz"), ZipBytes.zip(ZipBytes.stored("w.npy", WEIGHT), ZipBytes.stored("w.npy", WEIGHT)));
        DataException e = assertThrows(DataException.class, () -> NpzReader.read(file));
        assertTrue(e.getMessage().equals(file + ": entry 'w.npy': appears twice"), e.getMessage());
    }
}
