package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A method's settings as the record of a run shows them: one entry per component of its options record. */
public final class Provenance {
    private Provenance() {
    }

    public static Map<String, Object> of(Record options) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent component : options.getClass().getRecordComponents()) {
            out.put(component.getName(), describe(value(options, component)));
        }
        return out;
    }

    static Object value(Record options, RecordComponent component) {
        try {
            return component.getAccessor().invoke(options);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("options record " + options.getClass().getName() + " must be public", e);
        }
    }

    /** How an enum value is written in provenance and on the command line: GAUSS_LEGENDRE is gauss-legendre. */
    static String optionName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Object describe(Object value) {
        if (value == null) {
            return "default";
        }
        if (value instanceof Enum<?> e) {
            return optionName(e);
        }
        if (value instanceof double[] numbers) {
            return Arrays.stream(numbers).boxed().toList();
        }
        if (value instanceof INDArray array) {
            return "array " + Arrays.toString(array.shape());
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return value.toString();
    }
}
