package org.xaiworkbench.explain;

import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        return values.isEmpty() ? defaults : RecordOptions.with(method, flags(method), defaults, values, Set.of("score"));
    }

}
