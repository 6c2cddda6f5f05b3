package org.xaiworkbench.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Arrays in ND4J's binary format, as {@code Nd4j.write} stores them (DL4J's {@code coefficients.bin} and
 * {@code updaterState.bin}), read without {@code Nd4j.read}, which allocates whatever a header declares: every
 * header value is checked, and the declared values against the bytes that follow, before anything is allocated.
 *
 * <p>The format is two buffers, the shape information and the data, each a header (allocation mode as a Java UTF
 * string, a length as int or long, the data type as a UTF string) followed by the values, big-endian. The shape
 * information is [rank, shape.., strides.., extras, element-wise stride, order].
 */
public final class Nd4jBinaryArrays {
    static final int MAX_RANK = 32;
    /** DataBuffer.AllocationMode's names; the first three wrote their length as an int. */
    private static final Set<String> INT_LENGTH_MODES = Set.of("DIRECT", "HEAP", "JAVACPP");
    private static final Set<String> LONG_LENGTH_MODES = Set.of("LONG_SHAPE", "MIXED_DATA_TYPES");
    private static final int MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;

    private Nd4jBinaryArrays() {
    }

    /** The array at the buffer's position, leaving the position after it; {@code what} names the file and entry. */
    public static INDArray read(ByteBuffer bytes, String what) {
        ByteBuffer in = bytes.order(ByteOrder.BIG_ENDIAN);
        Header shapeHeader = header(in, what, "shape information");
        if (!shapeHeader.type().equals("LONG") && !shapeHeader.type().equals("INT")) {
            throw new DataException(what + ": shape information of type " + shapeHeader.type() + ", not LONG or INT");
        }
        int shapeWidth = shapeHeader.type().equals("LONG") ? Long.BYTES : Integer.BYTES;
        long infoLength = shapeHeader.length();
        if (infoLength < 4 || infoLength > 2L * MAX_RANK + 4) {
            throw new DataException(what + ": shape information of " + infoLength + " values (an array of rank 0 to "
                    + MAX_RANK + " has 4 to " + (2 * MAX_RANK + 4) + ")");
        }
        need(in, infoLength * shapeWidth, what, "the shape information");
        long[] info = new long[(int) infoLength];
        for (int i = 0; i < info.length; i++) {
            info[i] = shapeWidth == Long.BYTES ? in.getLong() : in.getInt();
        }
        long rank = info[0];
        if (rank < 0 || rank > MAX_RANK || infoLength != 2 * rank + 4) {
            throw new DataException(what + ": rank " + rank + " does not fit shape information of " + infoLength + " values");
        }
        long[] shape = Arrays.copyOfRange(info, 1, 1 + (int) rank);
        char order = (char) info[info.length - 1];
        if (order != 'c' && order != 'f') {
            throw new DataException(what + ": array order " + info[info.length - 1] + ", not 'c' or 'f'");
        }
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new DataException(what + ": negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, dimension);
            } catch (ArithmeticException overflow) {
                throw new DataException(what + ": shape " + Arrays.toString(shape) + " holds more values than a long counts");
            }
        }
        if (count == 0) {
            throw new DataException(what + ": shape " + Arrays.toString(shape) + " holds no values");
        }

        Header dataHeader = header(in, what, "data");
        if (dataHeader.length() != count) {
            throw new DataException(what + ": shape " + Arrays.toString(shape) + " holds " + count + " values, the data header declares "
                    + dataHeader.length());
        }
        int width = switch (dataHeader.type()) {
            case "FLOAT" -> Float.BYTES;
            case "DOUBLE" -> Double.BYTES;
            default -> throw new DataException(what + ": values of type " + dataHeader.type() + "; only FLOAT and DOUBLE are read");
        };
        if (count > MAX_JAVA_ARRAY / width) {
            throw new DataException(what + ": " + count + " values of type " + dataHeader.type() + " are more than one Java array holds");
        }
        need(in, count * width, what, count + " values of type " + dataHeader.type());
        if (width == Float.BYTES) {
            float[] values = new float[(int) count];
            in.asFloatBuffer().get(values);
            in.position(in.position() + values.length * Float.BYTES);
            return rank == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, order);
        }
        double[] values = new double[(int) count];
        in.asDoubleBuffer().get(values);
        in.position(in.position() + values.length * Double.BYTES);
        return rank == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, order);
    }

    private record Header(String mode, long length, String type) {
    }

    private static Header header(ByteBuffer in, String what, String part) {
        String mode = utf(in, what, part);
        long length;
        if (INT_LENGTH_MODES.contains(mode)) {
            need(in, Integer.BYTES, what, "the length of the " + part);
            length = in.getInt();
        } else if (LONG_LENGTH_MODES.contains(mode)) {
            need(in, Long.BYTES, what, "the length of the " + part);
            length = in.getLong();
        } else {
            throw new DataException(what + ": unknown allocation mode '" + mode + "' in the header of the " + part
                    + " (not an ND4J array)");
        }
        if (length < 0) {
            throw new DataException(what + ": negative length " + length + " in the header of the " + part);
        }
        return new Header(mode, length, utf(in, what, part));
    }

    /** A name as DataOutputStream.writeUTF wrote it; ND4J's names are short ASCII words. */
    private static String utf(ByteBuffer in, String what, String part) {
        need(in, Short.BYTES, what, "the header of the " + part);
        int length = Short.toUnsignedInt(in.getShort());
        if (length == 0 || length > 32) {
            throw new DataException(what + ": a name of " + length + " bytes in the header of the " + part + " (not an ND4J array)");
        }
        need(in, length, what, "the header of the " + part);
        byte[] name = new byte[length];
        in.get(name);
        for (byte b : name) {
            if (!(b == '_' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9')) {
                throw new DataException(what + ": a name that is not an ND4J constant in the header of the " + part);
            }
        }
        return new String(name, StandardCharsets.US_ASCII);
    }

    private static void need(ByteBuffer in, long bytes, String what, String part) {
        if (bytes > in.remaining()) {
            throw new DataException(what + ": " + part + " need" + (part.startsWith("the ") ? "s " : " ") + bytes
                    + " bytes, only " + in.remaining() + " follow");
        }
    }
}
