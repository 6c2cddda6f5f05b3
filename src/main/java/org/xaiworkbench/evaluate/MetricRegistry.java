package org.xaiworkbench.evaluate;

import org.xaiworkbench.evaluate.complexity.Complexity;
import org.xaiworkbench.evaluate.complexity.Sparseness;
import org.xaiworkbench.evaluate.faithfulness.Deletion;
import org.xaiworkbench.evaluate.faithfulness.DeletionInsertionCurves;
import org.xaiworkbench.evaluate.faithfulness.FaithfulnessCorrelation;
import org.xaiworkbench.evaluate.faithfulness.Infidelity;
import org.xaiworkbench.evaluate.faithfulness.Insertion;
import org.xaiworkbench.evaluate.faithfulness.InsertionMinusDeletion;
import org.xaiworkbench.evaluate.faithfulness.RoadCombined;
import org.xaiworkbench.evaluate.faithfulness.RoadCurves;
import org.xaiworkbench.evaluate.faithfulness.RoadLerf;
import org.xaiworkbench.evaluate.faithfulness.RoadMorf;
import org.xaiworkbench.evaluate.faithfulness.SubsetPerturbations;
import org.xaiworkbench.evaluate.randomization.ClassRandomization;
import org.xaiworkbench.evaluate.randomization.ModelRandomization;
import org.xaiworkbench.evaluate.robustness.MaxSensitivity;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every metric by id, in the order outputs show them, built with its options from {@link MetricSettings}.
 * Adding a metric is one class plus one line here.
 */
public final class MetricRegistry {
    private static final Map<String, Function<MetricSettings, Metric>> METRICS = new LinkedHashMap<>();
    private static final Set<String> GROUPS = new LinkedHashSet<>();

    static {
        put(Deletion.ID, s -> new Deletion(s.apply(Deletion.ID, DeletionInsertionCurves.Options.deletion())), Deletion.ID);
        put(Insertion.ID, s -> new Insertion(s.apply(Insertion.ID, DeletionInsertionCurves.Options.insertion())), Insertion.ID);
        put(InsertionMinusDeletion.ID, s -> new InsertionMinusDeletion(s.apply(Deletion.ID, DeletionInsertionCurves.Options.deletion()),
                s.apply(Insertion.ID, DeletionInsertionCurves.Options.insertion())), null);
        put(RoadMorf.ID, s -> new RoadMorf(s.apply(RoadCurves.GROUP, RoadCurves.Options.defaults())), RoadCurves.GROUP);
        put(RoadLerf.ID, s -> new RoadLerf(s.apply(RoadCurves.GROUP, RoadCurves.Options.defaults())), RoadCurves.GROUP);
        put(RoadCombined.ID, s -> new RoadCombined(s.apply(RoadCurves.GROUP, RoadCurves.Options.defaults())), RoadCurves.GROUP);
        put(Infidelity.ID, s -> new Infidelity(s.apply(Infidelity.ID, SubsetPerturbations.Options.infidelity())), Infidelity.ID);
        put(FaithfulnessCorrelation.ID, s -> new FaithfulnessCorrelation(s.apply(FaithfulnessCorrelation.ID,
                SubsetPerturbations.Options.faithfulnessCorrelation())), FaithfulnessCorrelation.ID);
        put(MaxSensitivity.ID, s -> new MaxSensitivity(s.apply(MaxSensitivity.ID, MaxSensitivity.Options.defaults())), MaxSensitivity.ID);
        put(ModelRandomization.ID, s -> new ModelRandomization(), null);
        put(ClassRandomization.ID, s -> new ClassRandomization(), null);
        put(Complexity.ID, s -> new Complexity(), null);
        put(Sparseness.ID, s -> new Sparseness(), null);
    }

    private MetricRegistry() {
    }

    /** @param group the {@code --set} group of the metric's options, null for a metric without options of its own */
    private static void put(String id, Function<MetricSettings, Metric> factory, String group) {
        METRICS.put(id, factory);
        if (group != null) {
            GROUPS.add(group);
        }
    }

    public static List<String> ids() {
        return List.copyOf(METRICS.keySet());
    }

    /** The names {@code --set group.key=value} takes for metrics: metric ids, and "road" for the three ROAD metrics. */
    public static List<String> optionGroups() {
        return List.copyOf(GROUPS);
    }

    /** {@code --set} assignments for the registered metrics' option groups. */
    public static MetricSettings settings(List<String> assignments) {
        return MetricSettings.parse(assignments, optionGroups());
    }

    public static Metric create(String id) {
        return create(id, MetricSettings.defaults());
    }

    /** The metric with the settings' options; a bad option gets one line naming the flag. */
    public static Metric create(String id, MetricSettings settings) {
        Function<MetricSettings, Metric> factory = METRICS.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("unknown metric '" + id + "', expected one of " + ids());
        }
        return factory.apply(settings);
    }
}
