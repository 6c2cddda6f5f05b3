package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.data.NpyBytes.npy;

class NpyReaderTest {
    private static INDArray read(byte[] file) {
        return NpyReader.read(new ByteArrayInputStream(file), file.length, "t.npy");
    }

    private static String refusal(byte[] file) {
        DataException e = assertThrows(DataException.class, () -> read(file));
        assertTrue(e.getMessage().startsWith("t.npy: ") && !e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void bigAndLittleEndianFloatsReadBackAsTheirValues() {
        float[] values = {1.5f, -2.25f, 3e-7f, Float.MAX_VALUE, -0f, 1e30f};
        INDArray expected = Nd4j.createFromArray(values).reshape(2, 3);
        for (ByteOrder order : new ByteOrder[]{BIG_ENDIAN, LITTLE_ENDIAN}) {
            String descr = (order == BIG_ENDIAN ? ">" : "<") + "f4";
            INDArray read = read(npy(descr, false, "(2, 3)", NpyBytes.floats(order, values)));
            assertEquals(DataType.FLOAT, read.dataType());
            assertEquals(expected, read, descr);
        }
    }

    @Test
    void bigEndianDoublesReadBackAsTheirValues() {
        double[] values = {Math.PI, -1e-300, 1e300, 0.1};
        INDArray read = read(npy(">f8", false, "(4,)", NpyBytes.doubles(BIG_ENDIAN, values)));
        assertEquals(DataType.DOUBLE, read.dataType());
        assertArrayEquals(values, read.toDoubleVector());
    }

    @Test
    void halvesAndIntegersReadBackAsTheirValues() {
        // 1.0, -2.0, 0.5 and 65504 (the largest half) as IEEE half-precision bits
        INDArray halves = read(npy("<f2", false, "(2, 2)", NpyBytes.halves(LITTLE_ENDIAN, 0x3C00, 0xC000, 0x3800, 0x7BFF)));
        assertEquals(DataType.HALF, halves.dataType());
        assertArrayEquals(new double[]{1, -2, 0.5, 65504}, halves.castTo(DataType.DOUBLE).reshape(4).toDoubleVector());
        INDArray ints = read(npy("<i4", false, "(3,)", NpyBytes.ints(LITTLE_ENDIAN, 7, -1, Integer.MAX_VALUE)));
        assertArrayEquals(new int[]{7, -1, Integer.MAX_VALUE}, ints.toIntVector());
        INDArray longs = read(npy(">i8", false, "(2,)", NpyBytes.longs(BIG_ENDIAN, Long.MIN_VALUE, 5)));
        assertArrayEquals(new long[]{Long.MIN_VALUE, 5}, longs.toLongVector());
    }

    @Test
    void fortranOrderIsReadColumnByColumnAndReturnedInCOrder() {
        // [[1, 2, 3], [4, 5, 6]] in column-major order
        INDArray read = read(npy("<f4", true, "(2, 3)", NpyBytes.floats(LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6)));
        assertEquals(Nd4j.createFromArray(new float[][]{{1, 2, 3}, {4, 5, 6}}), read);
        assertEquals('c', read.ordering());
        INDArray bigEndianFortran = read(npy(">f8", true, "(2, 2, 2)", NpyBytes.doubles(BIG_ENDIAN, 0, 4, 2, 6, 1, 5, 3, 7)));
        assertEquals(Nd4j.arange(8).castTo(DataType.DOUBLE).reshape(2, 2, 2), bigEndianFortran);
    }

    @Test
    void formatVersionsTwoAndThreeAreRead() {
        for (int version : new int[]{2, 3}) {
            INDArray read = read(npy(version, NpyBytes.dictionary("<f4", false, "(2,)"), NpyBytes.floats(LITTLE_ENDIAN, 3, 4)));
            assertArrayEquals(new float[]{3, 4}, read.toFloatVector(), "version " + version);
        }
    }

    @Test
    void scalarsAndEmptyArraysKeepTheirShapes() {
        INDArray scalar = read(npy("<f8", false, "()", NpyBytes.doubles(LITTLE_ENDIAN, 2.5)));
        assertEquals(0, scalar.rank());
        assertEquals(2.5, scalar.getDouble(0), 0);
        INDArray empty = read(npy("<f4", false, "(0, 3)", new byte[0]));
        assertArrayEquals(new long[]{0, 3}, empty.shape());
    }

    @Test
    void pickledStringAndComplexDtypesAreRefusedByName() {
        assertTrue(refusal(npy("|O", false, "(2,)", new byte[16])).contains("'|O' holds Python objects"));
        assertTrue(refusal(npy("<c8", false, "(2,)", new byte[16])).contains("'<c8' holds complex numbers"));
        assertTrue(refusal(npy("<U10", false, "(1,)", new byte[40])).contains("'<U10' holds strings"));
        assertTrue(refusal(npy("|S5", false, "(1,)", new byte[5])).contains("'|S5' holds strings"));
        assertTrue(refusal(npy("|u1", false, "(1,)", new byte[1])).contains("'|u1' is not supported"));
        String structured = "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,), }";
        assertTrue(refusal(npy(1, structured, new byte[8])).contains("structured"));
    }

    @Test
    void shapesThatAreNegativeOverflowOrExceedTheLimitAreRefusedBeforeAnythingIsAllocated() {
        assertTrue(refusal(npy("<f4", false, "(-1, 3)", new byte[8])).contains("negative dimension"));
        assertTrue(refusal(npy("<f4", false, "(4294967296, 4294967296)", new byte[8])).contains("more than 2^63 elements"));
        assertTrue(refusal(npy("<f8", false, "(2305843009213693952,)", new byte[8])).contains("more than 2^63 bytes"));
        assertTrue(refusal(npy("<f4", false, "(100000, 100000, 3, 3)", new byte[8]))
                .contains("takes 360000000000 bytes, more than the " + NpyReader.MAX_ARRAY_BYTES));
        assertTrue(refusal(npy("<f4", false, "(99999999999999999999,)", new byte[8])).contains("not a 64-bit integer"));
    }

    @Test
    void dataShorterOrLongerThanTheShapeIsRefused() {
        assertTrue(refusal(npy("<f4", false, "(64, 3, 3, 3)", new byte[100]))
                .contains("(64, 3, 3, 3) of <f4 takes 6912 bytes but 100 bytes of data follow the header"));
        assertTrue(refusal(npy("<f4", false, "(2,)", new byte[12])).contains("takes 8 bytes but 12 bytes"));
        byte[] shortOne = npy("<f4", false, "(64, 3, 3, 3)", new byte[100]);
        DataException streamed = assertThrows(DataException.class,
                () -> NpyReader.read(new ByteArrayInputStream(shortOne), -1, "t.npy"));
        assertTrue(streamed.getMessage().contains("the data ends after 100 bytes"), streamed.getMessage());
    }

    @Test
    void headerLengthLiesAndBrokenHeadersAreRefused() {
        byte[] good = npy("<f4", false, "(4,)", new byte[16]);
        assertTrue(refusal(NpyBytes.withHeaderLength(good, 60000)).contains("the header claims 60000 bytes"));
        assertTrue(refusal(NpyBytes.withHeaderLength(good, 10)).contains("header"));
        byte[] version4 = good.clone();
        version4[6] = 4;
        assertTrue(refusal(version4).contains("version 4.0 is not known"));
        assertTrue(refusal(new byte[]{1, 2, 3}).contains("no \\x93NUMPY magic"));
        assertTrue(refusal(npy(1, "{'descr': '<f4', 'shape': (1,), }", new byte[4])).contains("keys"));
        assertTrue(refusal(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(40) + ")".repeat(40) + ", }",
                new byte[4])).contains("nests deeper"));
        assertTrue(refusal(npy(1, "{'descr': '<f4\n', 'fortran_order': False, 'shape': (1,), }", new byte[4])).contains("\\u000a"));
    }

    @Test
    void aFileIsReadWhenItsLengthMatchesItsHeader(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.npy");
        Files.write(good, npy(">f4", false, "(3,)", NpyBytes.floats(BIG_ENDIAN, 1, 2, 3)));
        assertArrayEquals(new float[]{1, 2, 3}, NpyFiles.read(good).toFloatVector());
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, npy("<f4", false, "(64, 3, 3, 3)", new byte[100]));
        DataException e = assertThrows(DataException.class, () -> NpyFiles.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": the shape (64, 3, 3, 3)"), e.getMessage());
    }
}
