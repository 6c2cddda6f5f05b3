package org.xaiworkbench.explain;

import org.xaiworkbench.explain.perturbation.Segmentation;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Options records set from text, as {@code --set owner.key=value} gives them: each key is a component
 * of the record and each value is parsed to that component's type. Methods' and metrics' options both
 * go through here.
 */
public final class RecordOptions {
    private RecordOptions() {
    }

    /**
     * {@code defaults} with {@code values} (component name to text) applied, through the record's own
     * constructor, so that its checks run. A bad value or unknown key gets one line naming the flag.
     *
     * @param owner   the method or metric the record belongs to, as named in {@code --set owner.key=value}
     * @param flags   the flags that set the values, prefixed to a message of the record's constructor
     * @param ignored keys that may be absent from the record without an error (a run-wide setting)
     */
    @SuppressWarnings("unchecked")
    public static <O extends Record> O with(String owner, String flags, O defaults, Map<String, String> values, Set<String> ignored) {
        RecordComponent[] components = defaults.getClass().getRecordComponents();
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            arguments[i] = Provenance.value(defaults, components[i]);
        }
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String flag = "--set " + owner + "." + entry.getKey() + "=" + entry.getValue();
            int index = indexOf(components, entry.getKey());
            if (index < 0) {
                if (ignored.contains(entry.getKey())) {
                    continue;
                }
                throw new IllegalArgumentException(flag + ": unknown option, " + owner + (components.length == 0 ? " takes none"
                        : " takes " + settable(components)));
            }
            arguments[index] = parse(flag, components[index].getType(), entry.getValue());
        }
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> canonical = defaults.getClass().getDeclaredConstructor(types);
            return (O) canonical.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new IllegalArgumentException(flags + ": " + owner + " " + bad.getMessage(), bad);
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("options record " + defaults.getClass().getName() + " must be public", e);
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name) && isSettable(components[i].getType())) {
                return i;
            }
        }
        return -1;
    }

    private static String settable(RecordComponent[] components) {
        return Arrays.stream(components).filter(c -> isSettable(c.getType()))
                .map(c -> c.getName() + " (" + typeName(c.getType()) + ")").collect(Collectors.joining(", "));
    }

    private static boolean isSettable(Class<?> type) {
        return type == int.class || type == long.class || type == double.class || type == float.class
                || type == boolean.class || type == String.class || type.isEnum() || type == Segmentation.class || type == double[].class;
    }

    private static String typeName(Class<?> type) {
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(c -> Provenance.optionName((Enum<?>) c))
                    .collect(Collectors.joining("|"));
        }
        if (type == Segmentation.class) {
            return "slic|grid(ROWSxCOLS)";
        }
        if (type == double[].class) {
            return "comma-separated numbers";
        }
        return type == String.class ? "text" : type.getSimpleName();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(String flag, Class<?> type, String text) {
        try {
            if (type == int.class) {
                return Integer.parseInt(text.strip());
            }
            if (type == long.class) {
                return Long.parseLong(text.strip());
            }
            if (type == double.class) {
                return Double.parseDouble(text.strip());
            }
            if (type == float.class) {
                return Float.parseFloat(text.strip());
            }
            if (type == boolean.class) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException();
                }
                return Boolean.parseBoolean(text);
            }
            if (type.isEnum()) {
                return Enum.valueOf((Class<Enum>) type, text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            if (type == Segmentation.class) {
                return Segmentation.parse(text);
            }
            if (type == double[].class) {
                return Arrays.stream(text.split(",", -1)).mapToDouble(v -> Double.parseDouble(v.strip())).toArray();
            }
            return text;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": expected " + typeName(type), e);
        }
    }
}
