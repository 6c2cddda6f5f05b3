package org.xaiworkbench.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** .npy files built byte by byte, as numpy writes them or with one thing wrong, for tests that must not trust our writer. */
public final class NpyBytes {
    private NpyBytes() {
    }

    /** The header dictionary numpy writes, e.g. {@code dictionary("<f4", false, "(2, 3)")}. */
    public static String dictionary(String descr, boolean fortranOrder, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") + ", 'shape': " + shape + ", }";
    }

    /** A version 1 file. */
    public static byte[] npy(String descr, boolean fortranOrder, String shape, byte[] data) {
        return npy(1, dictionary(descr, fortranOrder, shape), data);
    }

    /** A file of format {@code version} (1, 2 or 3) whose header, padded as numpy pads it, holds {@code dictionary}. */
    public static byte[] npy(int version, String dictionary, byte[] data) {
        int lengthBytes = version == 1 ? 2 : 4;
        byte[] text = dictionary.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int unpadded = 6 + 2 + lengthBytes + text.length + 1;
        int padding = (64 - unpadded % 64) % 64;
        int headerLength = text.length + padding + 1;
        ByteBuffer out = ByteBuffer.allocate(6 + 2 + lengthBytes + headerLength + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
        if (version == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(text);
        for (int i = 0; i < padding; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n').put(data);
        return out.array();
    }

    /** A version 1 file with its header length field set to {@code claimed}. */
    public static byte[] withHeaderLength(byte[] npy, int claimed) {
        byte[] copy = npy.clone();
        copy[8] = (byte) claimed;
        copy[9] = (byte) (claimed >>> 8);
        return copy;
    }

    public static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer out = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }

    public static byte[] doubles(ByteOrder order, double... values) {
        ByteBuffer out = ByteBuffer.allocate(8 * values.length).order(order);
        for (double v : values) {
            out.putDouble(v);
        }
        return out.array();
    }

    public static byte[] ints(ByteOrder order, int... values) {
        ByteBuffer out = ByteBuffer.allocate(4 * values.length).order(order);
        for (int v : values) {
            out.putInt(v);
        }
        return out.array();
    }

    public static byte[] longs(ByteOrder order, long... values) {
        ByteBuffer out = ByteBuffer.allocate(8 * values.length).order(order);
        for (long v : values) {
            out.putLong(v);
        }
        return out.array();
    }

    /** IEEE half-precision bit patterns. */
    public static byte[] halves(ByteOrder order, int... bits) {
        ByteBuffer out = ByteBuffer.allocate(2 * bits.length).order(order);
        for (int b : bits) {
            out.putShort((short) b);
        }
        return out.array();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
