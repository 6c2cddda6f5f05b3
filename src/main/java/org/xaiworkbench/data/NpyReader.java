package org.xaiworkbench.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code .npy} array in Java, never through ND4J's native reader, which aborts or reads past the data on a
 * hostile file. The header is checked first (see {@link NpyHeader}); the declared shape times the item size must
 * match the bytes that are there, and no more than {@link #MAX_ARRAY_BYTES}; the data is read into the heap as it
 * arrives, so a header or zip entry that lies about its size costs no more than the bytes really present, and the
 * ND4J array is allocated only once all of them have arrived. Big-endian data is converted, Fortran order is
 * returned in C order.
 */
public final class NpyReader {
    /**
     * The most data one array may hold: 2 GiB - 1 bytes, the most a Java array or an ND4J buffer's NIO view
     * addresses. The largest tensor of a usual image classifier is a fraction of it (VGG16's first dense layer,
     * 25088 x 4096 float32, is 411 MB).
     */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE;
    /** The most a whole .npy file may take: the largest array behind the largest header read. */
    public static final long MAX_FILE_BYTES = MAX_ARRAY_BYTES + NpyHeader.MAX_HEADER_BYTES;
    /** A multiple of every item size, so that no item straddles two chunks. */
    private static final int CHUNK_BYTES = 1 << 20;

    private NpyReader() {
    }

    /**
     * The array in {@code in}; {@code length} is how many bytes the array's file or entry says it holds (-1 if it does
     * not), {@code where} names it in every error, each one line.
     */
    public static INDArray read(InputStream in, long length, String where) {
        try {
            NpyHeader header = NpyHeader.read(in, length);
            long dataBytes = header.dataBytes();
            String declared = "the shape " + header.shapeText() + " of " + header.dtype().descr() + " takes " + dataBytes + " bytes";
            if (dataBytes > MAX_ARRAY_BYTES) {
                throw new IllegalArgumentException(declared + ", more than the " + MAX_ARRAY_BYTES + " an array may hold");
            }
            if (length >= 0 && header.headerBytes() + dataBytes != length) {
                throw new IllegalArgumentException(declared + " but " + (length - header.headerBytes()) + " bytes of data follow the header");
            }
            try {
                List<byte[]> data = readData(in, dataBytes, declared);
                if (in.read() >= 0) {
                    throw new IllegalArgumentException(declared + " but more data follows");
                }
                return toArray(header, data);
            } catch (OutOfMemoryError e) {
                // the failed request was this array's alone, and its chunks are garbage now: the JVM carries on
                throw new IllegalArgumentException(declared + ", more than the JVM has left (-Xmx in native-config/jvm.options)", e);
            }
        } catch (IllegalArgumentException e) {
            throw new DataException(where + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(where + ": cannot be read (" + OneLine.cause(e) + ")", e);
        }
    }

    private static List<byte[]> readData(InputStream in, long dataBytes, String declared) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long remaining = dataBytes;
        while (remaining > 0) {
            int wanted = (int) Math.min(CHUNK_BYTES, remaining);
            byte[] chunk = in.readNBytes(wanted);
            remaining -= chunk.length;
            if (chunk.length < wanted) {
                throw new IllegalArgumentException(declared + " but the data ends after " + (dataBytes - remaining) + " bytes");
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    private static INDArray toArray(NpyHeader header, List<byte[]> data) {
        char order = header.fortranOrder() ? 'f' : 'c';
        INDArray array = header.elements() == 0 ? Nd4j.create(header.dtype().dataType(), header.shape(), order)
                : Nd4j.createUninitialized(header.dtype().dataType(), header.shape(), order);
        if (header.elements() > 0) {
            ByteBuffer target = array.data().asNio().order(ByteOrder.nativeOrder());
            boolean swap = header.dtype().order() != ByteOrder.nativeOrder();
            for (byte[] chunk : data) {
                if (swap) {
                    reverseEachItem(chunk, header.dtype().itemBytes());
                }
                target.put(chunk);
            }
        }
        if (!header.fortranOrder()) {
            return array;
        }
        INDArray inCOrder = array.dup('c');
        array.close();
        return inCOrder;
    }

    private static void reverseEachItem(byte[] chunk, int itemBytes) {
        for (int start = 0; start < chunk.length; start += itemBytes) {
            for (int i = 0, j = itemBytes - 1; i < j; i++, j--) {
                byte b = chunk[start + i];
                chunk[start + i] = chunk[start + j];
                chunk[start + j] = b;
            }
        }
    }
}
