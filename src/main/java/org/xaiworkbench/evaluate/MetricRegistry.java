package org.xaiworkbench.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every metric by id, in the order outputs show them. Adding a metric is one class plus one line here. */
public final class MetricRegistry {
    private static final Map<String, Supplier<Metric>> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put(Deletion.ID, Deletion::new);
        METRICS.put(Insertion.ID, Insertion::new);
        METRICS.put(InsertionMinusDeletion.ID, InsertionMinusDeletion::new);
        METRICS.put(RoadMorf.ID, RoadMorf::new);
        METRICS.put(RoadLerf.ID, RoadLerf::new);
        METRICS.put(RoadCombined.ID, RoadCombined::new);
        METRICS.put(Infidelity.ID, Infidelity::new);
        METRICS.put(FaithfulnessCorrelation.ID, FaithfulnessCorrelation::new);
        METRICS.put(MaxSensitivity.ID, MaxSensitivity::new);
        METRICS.put(ModelRandomization.ID, ModelRandomization::new);
        METRICS.put(ClassRandomization.ID, ClassRandomization::new);
        METRICS.put(Complexity.ID, Complexity::new);
        METRICS.put(Sparseness.ID, Sparseness::new);
    }

    private MetricRegistry() {
    }

    public static List<String> ids() {
        return List.copyOf(METRICS.keySet());
    }

    public static Metric create(String id) {
        Supplier<Metric> factory = METRICS.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("unknown metric '" + id + "', expected one of " + ids());
        }
        return factory.get();
    }
}
