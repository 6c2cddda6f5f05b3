package org.xaiworkbench.evaluate;

import org.xaiworkbench.explain.RecordOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metric options from the command line: {@code --set group.key=value}, one per option. The group is the
 * metric's id, or one name for metrics that read one computation (the three ROAD metrics' "road"); the
 * registry says which ({@link MetricRegistry#settings}). Each key is a component of the group's options record.
 */
public final class MetricSettings {
    private final Map<String, Map<String, String>> byGroup;

    private MetricSettings(Map<String, Map<String, String>> byGroup) {
        this.byGroup = byGroup;
    }

    /** Every metric with its defaults. */
    public static MetricSettings defaults() {
        return new MetricSettings(Map.of());
    }

    /**
     * @param assignments {@code group.key=value} strings, as given to {@code --set}
     * @param groups      the groups a setting may name
     */
    public static MetricSettings parse(List<String> assignments, List<String> groups) {
        Map<String, Map<String, String>> byGroup = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int dot = assignment.indexOf('.');
            int equals = assignment.indexOf('=');
            if (dot <= 0 || equals < dot + 2) {
                throw new IllegalArgumentException("--set " + assignment + ": expected metric.key=value, e.g. deletion.steps=64");
            }
            String group = assignment.substring(0, dot);
            if (!groups.contains(group)) {
                throw new IllegalArgumentException("--set " + assignment + ": unknown metric '" + group + "', expected one of " + groups);
            }
            byGroup.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(assignment.substring(dot + 1, equals),
                    assignment.substring(equals + 1));
        }
        return new MetricSettings(byGroup);
    }

    /** The groups that {@code --set} names. */
    public Set<String> groups() {
        return Collections.unmodifiableSet(byGroup.keySet());
    }

    /** {@code defaults} with the group's {@code --set} values applied. */
    public <O extends Record> O apply(String group, O defaults) {
        Map<String, String> values = byGroup.getOrDefault(group, Map.of());
        return values.isEmpty() ? defaults : RecordOptions.with(group, assignments(group), defaults, values, Set.of());
    }

    /** The {@code --set} flags naming {@code group}, as typed. */
    public String assignments(String group) {
        List<String> flags = new ArrayList<>();
        byGroup.getOrDefault(group, Map.of()).forEach((key, value) -> flags.add("--set " + group + "." + key + "=" + value));
        return String.join(" ", flags);
    }
}
