package org.xaiworkbench.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Between ND4J arrays and Java arrays, for per-element work done in Java (around the graph calls:
 * weighting, summing, sampling; and in pictures). Off-heap ND4J arrays are slow to allocate here:
 * fresh memory page-faults in this VM, and it is freed only when the garbage collector gets to it
 * (casting a 1 MB float capture to double took 7.5 ms, a copy of it into a Java array 0.4 ms). So
 * intermediate values live in Java arrays, and each direction costs one copy.
 */
public final class HostValues {
    private HostValues() {
    }

    /** The values of {@code a} in c order. */
    public static double[] of(INDArray a) {
        INDArray plain = isPlain(a) ? a : a.dup('c');
        if (plain.dataType() == DataType.FLOAT) {
            float[] floats = plain.data().asFloat();
            double[] out = new double[floats.length];
            for (int i = 0; i < floats.length; i++) {
                out[i] = floats[i];
            }
            return out;
        }
        return plain.data().asDouble();
    }

    /** A c-order array of the given shape and type holding {@code values}. */
    public static INDArray array(double[] values, long[] shape, DataType type) {
        if (type == DataType.FLOAT) {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
            }
            return Nd4j.create(floats, shape, 'c');
        }
        INDArray doubles = Nd4j.create(values, shape, 'c');
        return type == DataType.DOUBLE ? doubles : doubles.castTo(type);
    }

    /** Whether the array's buffer holds exactly its values in c order, so the buffer can be read whole. */
    private static boolean isPlain(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length()
                && Shape.hasDefaultStridesForShape(a);
    }
}
