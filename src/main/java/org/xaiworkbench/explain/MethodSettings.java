package org.xaiworkbench.explain;

import org.xaiworkbench.explain.perturbation.Segmentation;
import org.xaiworkbench.model.Score;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Method options from the command line: {@code --set method.key=value}, one per option, plus the run's
 * {@code --score}. Each key is a component of the method's options record and each value is parsed to
 * that component's type; the record's own constructor then checks it, so a bad value gets the same line
 * as in Java code, prefixed by the {@code --set} it came from.
 */
public final class MethodSettings {
    private final Map<String, Map<String, String>> byMethod;
    private final Score score;

    private MethodSettings(Map<String, Map<String, String>> byMethod, Score score) {
        this.byMethod = byMethod;
        this.score = score;
    }

    /** Every method with its defaults. */
    public static MethodSettings defaults() {
        return new MethodSettings(Map.of(), null);
    }

    /**
     * @param assignments {@code method.key=value} strings, as given to {@code --set}
     * @param score       the score every method with a score option attributes, null for each method's default
     * @param methods     the ids a setting may name ({@link AttributionRegistry#settings} passes the registry's)
     */
    public static MethodSettings parse(List<String> assignments, Score score, List<String> methods) {
        Map<String, Map<String, String>> byMethod = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int dot = assignment.indexOf('.');
            int equals = assignment.indexOf('=');
            if (dot <= 0 || equals < dot + 2) {
                throw new IllegalArgumentException("--set " + assignment + ": expected method.key=value, e.g. "
                        + "integrated-gradients.steps=100");
            }
            String method = assignment.substring(0, dot);
            if (!methods.contains(method)) {
                throw new IllegalArgumentException("--set " + assignment + ": unknown method '" + method
                        + "', expected one of " + methods);
            }
            byMethod.computeIfAbsent(method, m -> new LinkedHashMap<>())
                    .put(assignment.substring(dot + 1, equals), assignment.substring(equals + 1));
        }
        return new MethodSettings(byMethod, score);
    }

    /** The methods that {@code --set} names. */
    public Set<String> methods() {
        return Collections.unmodifiableSet(byMethod.keySet());
    }

    /** The flags that change {@code method}'s defaults, as typed; empty when none do. */
    public String flags(String method) {
        String assignments = assignments(method);
        if (score == null) {
            return assignments;
        }
        String scoreFlag = "--score " + Provenance.optionName(score);
        return assignments.isEmpty() ? scoreFlag : scoreFlag + " " + assignments;
    }

    /** The {@code --set} flags naming {@code method}, as typed. */
    public String assignments(String method) {
        List<String> flags = new ArrayList<>();
        byMethod.getOrDefault(method, Map.of()).forEach((key, value) -> flags.add("--set " + method + "." + key + "=" + value));
        return String.join(" ", flags);
    }

    /** {@code defaults} with this run's score and the method's {@code --set} values applied. */
    public <O extends Record & MethodOptions> O apply(String method, O defaults) {
        Map<String, String> values = new LinkedHashMap<>();
        if (score != null) {
            values.put("score", score.name());
        }
        values.putAll(byMethod.getOrDefault(method, Map.of()));
        return values.isEmpty() ? defaults : with(method, flags(method), defaults, values);
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> O with(String method, String flags, O defaults, Map<String, String> values) {
        RecordComponent[] components = defaults.getClass().getRecordComponents();
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            arguments[i] = Provenance.value(defaults, components[i]);
        }
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String flag = "--set " + method + "." + entry.getKey() + "=" + entry.getValue();
            int index = indexOf(components, entry.getKey());
            if (index < 0) {
                if (entry.getKey().equals("score")) {
                    continue;
                }
                throw new IllegalArgumentException(flag + ": unknown option, " + method + " takes " + settable(components));
            }
            arguments[index] = parse(flag, components[index].getType(), entry.getValue());
        }
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> canonical = defaults.getClass().getDeclaredConstructor(types);
            return (O) canonical.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new IllegalArgumentException(flags + ": " + method + " " + bad.getMessage(), bad);
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
                || type == boolean.class || type == String.class || type.isEnum() || type == Segmentation.class;
    }

    private static String typeName(Class<?> type) {
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(c -> Provenance.optionName((Enum<?>) c))
                    .collect(Collectors.joining("|"));
        }
        if (type == Segmentation.class) {
            return "slic|grid(ROWSxCOLS)";
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
            return text;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": expected " + typeName(type), e);
        }
    }
}
