package org.xaiworkbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The header of a {@code .npy} file, format versions 1 to 3: magic, version, header length, then the dictionary
 * naming dtype, order and shape. Everything is checked here so that the data's length follows from it without
 * overflow; nothing is allocated for the data yet.
 */
record NpyHeader(NpyDtype dtype, boolean fortranOrder, long[] shape, long headerBytes) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy itself refuses headers over 10,000 bytes unless told otherwise; a plain array's header takes about 128. */
    static final int MAX_DICTIONARY_BYTES = 65_536;
    /** Magic, version, a version 2 length field and the largest dictionary. */
    static final int MAX_HEADER_BYTES = 6 + 2 + 4 + MAX_DICTIONARY_BYTES;
    /** ND4J's largest rank. */
    static final int MAX_RANK = 32;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** The header at the start of {@code in}, which is left at the first byte of data; {@code length} is the whole file's, or -1. */
    static NpyHeader read(InputStream in, long length) throws IOException {
        byte[] prefix = in.readNBytes(MAGIC.length + 2);
        if (prefix.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(prefix, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a .npy array (no \\x93NUMPY magic)");
        }
        if (prefix.length < MAGIC.length + 2) {
            throw new IllegalArgumentException("the header is cut off after the magic");
        }
        int major = prefix[6] & 0xFF;
        int minor = prefix[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new IllegalArgumentException(".npy format version " + major + "." + minor + " is not known (1.0, 2.0 and 3.0 are)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw new IllegalArgumentException("the header is cut off in its length field");
        }
        long dictionaryBytes = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            dictionaryBytes = (dictionaryBytes << 8) | (lengthField[i] & 0xFF);
        }
        long headerBytes = MAGIC.length + 2 + lengthBytes + dictionaryBytes;
        if (dictionaryBytes > MAX_DICTIONARY_BYTES) {
            throw new IllegalArgumentException("the header claims " + dictionaryBytes + " bytes; at most " + MAX_DICTIONARY_BYTES + " are read");
        }
        if (length >= 0 && headerBytes > length) {
            throw new IllegalArgumentException("the header claims " + dictionaryBytes + " bytes, more than the " + length + " bytes there are");
        }
        byte[] dictionary = in.readNBytes((int) dictionaryBytes);
        if (dictionary.length < dictionaryBytes) {
            throw new IllegalArgumentException("the header claims " + dictionaryBytes + " bytes but only " + dictionary.length + " follow");
        }
        String text = new String(dictionary, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return fromDictionary(NpyHeaderLiteral.parseDictionary(text), headerBytes);
    }

    private static NpyHeader fromDictionary(Map<String, Object> dictionary, long headerBytes) {
        if (!dictionary.keySet().equals(KEYS)) {
            throw new IllegalArgumentException("the header's keys are " + OneLine.of(String.join(", ", dictionary.keySet()))
                    + ", not descr, fortran_order and shape");
        }
        Object descr = dictionary.get("descr");
        if (descr instanceof List<?>) {
            throw new IllegalArgumentException("a structured (record) dtype is not read: arrays must be " + NpyDtype.SUPPORTED);
        }
        if (!(descr instanceof String name)) {
            throw new IllegalArgumentException("the header's descr is not a string");
        }
        NpyDtype dtype = NpyDtype.parse(name);
        if (!(dictionary.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new IllegalArgumentException("the header's fortran_order is not True or False");
        }
        if (!(dictionary.get("shape") instanceof NpyHeaderLiteral.Tuple tuple)) {
            throw new IllegalArgumentException("the header's shape is not a tuple");
        }
        if (tuple.items().size() > MAX_RANK) {
            throw new IllegalArgumentException("the shape has " + tuple.items().size() + " dimensions; at most " + MAX_RANK + " are read");
        }
        long[] shape = new long[tuple.items().size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.items().get(i) instanceof Long dimension)) {
                throw new IllegalArgumentException("the shape " + OneLine.of(describe(tuple)) + " holds something other than integers");
            }
            if (dimension < 0) {
                throw new IllegalArgumentException("the shape " + OneLine.of(describe(tuple)) + " has a negative dimension");
            }
            shape[i] = dimension;
        }
        NpyHeader header = new NpyHeader(dtype, fortranOrder, shape, headerBytes);
        header.dataBytes();
        return header;
    }

    /** How many elements the shape holds; the exception says when that overflows a long. */
    long elements() {
        long elements = 1;
        for (long dimension : shape) {
            try {
                elements = Math.multiplyExact(elements, dimension);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the shape " + shapeText() + " holds more than 2^63 elements");
            }
        }
        return elements;
    }

    /** How many bytes of data the header declares. */
    long dataBytes() {
        try {
            return Math.multiplyExact(elements(), (long) dtype.itemBytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the shape " + shapeText() + " of " + dtype.descr() + " holds more than 2^63 bytes");
        }
    }

    /** The shape as numpy prints it, e.g. (64, 3, 3, 3). */
    String shapeText() {
        String inner = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        return "(" + inner + (shape.length == 1 ? ",)" : ")");
    }

    private static String describe(NpyHeaderLiteral.Tuple tuple) {
        return "(" + tuple.items().stream().map(NpyHeader::pythonText).collect(Collectors.joining(", ")) + (tuple.items().size() == 1 ? ",)" : ")");
    }

    private static String pythonText(Object value) {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
