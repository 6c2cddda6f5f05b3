package org.xaiworkbench.data;

import org.nd4j.linalg.api.buffer.DataType;

import java.nio.ByteOrder;

/**
 * The numeric element types a {@code .npy} file may hold here, in either byte order: float16, float32, float64,
 * int32 and int64. Objects (pickled Python), strings, complex numbers, dates and records are refused by name.
 */
record NpyDtype(String descr, DataType dataType, int itemBytes, ByteOrder order) {
    static final String SUPPORTED = "float16, float32, float64, int32 or int64";

    /** The dtype a header's {@code descr} names, e.g. {@code '<f4'} or {@code '>f8'}; the exception says why one is refused. */
    static NpyDtype parse(String descr) {
        String quoted = "'" + OneLine.of(descr) + "'";
        if (descr.length() < 2) {
            throw new IllegalArgumentException("dtype " + quoted + " is not a numpy type");
        }
        char orderChar = descr.charAt(0);
        boolean hasOrder = orderChar == '<' || orderChar == '>' || orderChar == '|' || orderChar == '=';
        String type = hasOrder ? descr.substring(1) : descr;
        String refused = refusedKind(type.charAt(0));
        if (refused != null) {
            throw new IllegalArgumentException("dtype " + quoted + " holds " + refused + ", which is not read: arrays must be " + SUPPORTED);
        }
        DataType dataType = switch (type) {
            case "f2" -> DataType.HALF;
            case "f4" -> DataType.FLOAT;
            case "f8" -> DataType.DOUBLE;
            case "i4" -> DataType.INT;
            case "i8" -> DataType.LONG;
            default -> null;
        };
        if (dataType == null) {
            throw new IllegalArgumentException("dtype " + quoted + " is not supported: arrays must be " + SUPPORTED);
        }
        if (orderChar != '<' && orderChar != '>') {
            throw new IllegalArgumentException("dtype " + quoted + " does not say its byte order ('<' or '>')");
        }
        return new NpyDtype(descr, dataType, Integer.parseInt(type.substring(1)),
                orderChar == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    private static String refusedKind(char kind) {
        return switch (kind) {
            case 'O' -> "Python objects (pickled)";
            case 'U', 'S', 'a' -> "strings";
            case 'c' -> "complex numbers";
            case 'V' -> "raw records";
            case 'M', 'm' -> "dates or time spans";
            default -> null;
        };
    }
}
