package org.xaiworkbench.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Zip files written field by field, so that a test can make the directory lie about an entry's size or hold a
 * deflate stream that inflates to gigabytes (numpy's {@code savez} writes the same layout, without the lies).
 */
public final class ZipBytes {
    static final int STORED = 0;
    static final int DEFLATED = 8;
    private static final int ZEROS_CHUNK = 1 << 20;

    /** One entry: its name, how it is compressed, the bytes in the file, and what the directory claims. */
    public record Entry(String name, int method, byte[] content, long claimedSize, long crc) {
        public Entry claimingSize(long size) {
            return new Entry(name, method, content, size, crc);
        }

        public Entry named(String other) {
            return new Entry(other, method, content, claimedSize, crc);
        }
    }

    private ZipBytes() {
    }

    public static Entry stored(String name, byte[] data) {
        return new Entry(name, STORED, data, data.length, crc(data));
    }

    public static Entry deflated(String name, byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return new Entry(name, DEFLATED, out.toByteArray(), data.length, crc(data));
    }

    /**
     * A deflated entry holding {@code head} then {@code zeroMebibytes} MiB of zeros, in about a thousandth of that:
     * once the window is all zeros, deflating another MiB of zeros gives the same bytes every time, so that block is
     * repeated rather than computed.
     */
    public static Entry zeroBomb(String name, byte[] head, int zeroMebibytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[ZEROS_CHUNK];
        byte[] first = flushed(deflater, NpyBytes.concat(head, zeros));
        byte[] repeated = flushed(deflater, zeros);
        if (!Arrays.equals(repeated, flushed(deflater, zeros))) {
            throw new IllegalStateException("this zlib does not repeat its output on zeros; the bomb cannot be built this way");
        }
        deflater.finish();
        byte[] last = new byte[64];
        int lastLength = deflater.deflate(last);
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        for (int i = 1; i < zeroMebibytes; i++) {
            out.writeBytes(repeated);
        }
        out.write(last, 0, lastLength);
        CRC32 crc = new CRC32();
        crc.update(head);
        for (int i = 0; i < zeroMebibytes; i++) {
            crc.update(zeros);
        }
        return new Entry(name, DEFLATED, out.toByteArray(), head.length + (long) zeroMebibytes * ZEROS_CHUNK, crc.getValue());
    }

    private static byte[] flushed(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        return out.toByteArray();
    }

    /** The zip holding {@code entries}: local headers and contents, then the central directory that readers trust. */
    public static byte[] zip(Entry... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] offsets = new long[entries.length];
        for (int i = 0; i < entries.length; i++) {
            Entry e = entries[i];
            offsets[i] = out.size();
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer local = little(30 + name.length);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) e.method())
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc()).putInt(e.content().length)
                    .putInt((int) e.claimedSize()).putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.writeBytes(e.content());
        }
        long directoryStart = out.size();
        for (int i = 0; i < entries.length; i++) {
            Entry e = entries[i];
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer central = little(46 + name.length);
            central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x0800).putShort((short) e.method())
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc()).putInt(e.content().length)
                    .putInt((int) e.claimedSize()).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offsets[i]).put(name);
            out.writeBytes(central.array());
        }
        long directoryLength = out.size() - directoryStart;
        ByteBuffer end = little(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.length)
                .putShort((short) entries.length).putInt((int) directoryLength).putInt((int) directoryStart).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
