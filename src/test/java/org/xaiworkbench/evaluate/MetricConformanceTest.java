package org.xaiworkbench.evaluate;

import org.xaiworkbench.evaluate.faithfulness.Deletion;
import org.xaiworkbench.evaluate.faithfulness.Infidelity;
import org.xaiworkbench.evaluate.faithfulness.RoadCurves;
import org.xaiworkbench.evaluate.faithfulness.RoadMorf;
import org.xaiworkbench.evaluate.randomization.ClassRandomization;
import org.xaiworkbench.evaluate.randomization.ModelRandomization;
import org.xaiworkbench.evaluate.robustness.MaxSensitivity;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.TinyClassifiers;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every registered metric must do: finite values per method and image, seeded, independent of batching. */
class MetricConformanceTest {
    private final GraphClassifier model = TinyClassifiers.miniVgg(4, DataType.DOUBLE, 16);
    private final List<Sample> samples = EvaluationFixtures.samples(model, EvaluationFixtures.images(3, 3, 16, 2));
    private final EvaluationConfig config = EvaluationConfig.defaults().withSeed(5, 100, 64).withSubsamples(3, 3);
    /** Short curves and few subsets, as a user would set them: the same options every metric test of a run gets. */
    private static final MetricSettings SMALL = MetricRegistry.settings(List.of("deletion.steps=8", "insertion.steps=8",
            "infidelity.subsets=20", "faithfulness-correlation.subsets=20"));

    private Evaluation.Result run(int probeBatch, int chunk) {
        MethodSuite suite = EvaluationFixtures.suite(model, List.of("saliency", "smoothgrad", "grad-cam"));
        List<Metric> metrics = MetricRegistry.ids().stream().map(id -> MetricRegistry.create(id, SMALL)).toList();
        return new Evaluation(suite, metrics, config, new Probe(model, probeBatch, DataType.DOUBLE)).run(samples, chunk,
                new Evaluation.Listener() {
                    @Override
                    public void explained(Sample sample, String method, double[] map) {
                    }

                    @Override
                    public void progress(String what, int images) {
                    }
                });
    }

    @Test
    void everyMetricIsFiniteSeededAndIndependentOfBatching() {
        Evaluation.Result first = run(64, 3);
        Evaluation.Result again = run(64, 3);
        Evaluation.Result rebatched = run(7, 1);
        assertEquals(MetricRegistry.ids(), List.copyOf(first.summaries().keySet()), "every metric is summarised");
        assertEquals(MetricRegistry.ids().size() * 6 * samples.size(), first.rows().size(), "one row per metric, method and image");
        double[] values = first.rows().stream().mapToDouble(Evaluation.Row::value).toArray();
        for (double v : values) {
            assertTrue(Double.isFinite(v));
        }
        assertArrayEquals(values, again.rows().stream().mapToDouble(Evaluation.Row::value).toArray(), "seeded");
        assertArrayEquals(values, sorted(rebatched.rows()), 1e-9, "batch-size and chunk invariant, the stochastic smoothgrad included");
        assertEquals(first.verdict(), again.verdict());
        assertFalse(first.verdict().isBlank());
    }

    /** Rows in the order of a run with one chunk. */
    private double[] sorted(List<Evaluation.Row> rows) {
        List<String> metricOrder = MetricRegistry.ids();
        return rows.stream().sorted(Comparator.comparingInt((Evaluation.Row r) -> metricOrder.indexOf(r.metric()))
                        .thenComparing(r -> List.of("saliency", "smoothgrad", "grad-cam", Controls.RANDOM, Controls.EDGES, Controls.CENTRE).indexOf(r.method()))
                        .thenComparingInt(Evaluation.Row::image))
                .mapToDouble(Evaluation.Row::value).toArray();
    }

    @Test
    void progressAddsUpToTheRunsUnitsAndMovesWithinTheMetricsThatExplainAgain() {
        MethodSuite suite = EvaluationFixtures.suite(model, List.of("saliency", "smoothgrad"));
        List<Metric> metrics = MetricRegistry.ids().stream().map(id -> MetricRegistry.create(id, SMALL)).toList();
        Evaluation evaluation = new Evaluation(suite, metrics, config, new Probe(model, 64, DataType.DOUBLE));
        Map<String, List<Integer>> steps = new java.util.LinkedHashMap<>();
        evaluation.run(samples, 3, new Evaluation.Listener() {
            @Override
            public void explained(Sample sample, String method, double[] map) {
            }

            @Override
            public void progress(String what, int images) {
                steps.computeIfAbsent(what, k -> new java.util.ArrayList<>()).add(images);
            }
        });
        long total = steps.values().stream().flatMap(List::stream).mapToLong(Integer::longValue).sum();
        assertEquals(evaluation.progressUnits(samples.size()), total, "every unit the bar was sized for is reported, no more");
        int maps = suite.ids().size();
        for (String slow : List.of(MaxSensitivity.ID, ModelRandomization.ID, ClassRandomization.ID)) {
            assertTrue(steps.get(slow).size() >= maps, slow + " moves the bar as it goes, not once at its end: " + steps.get(slow));
        }
    }

    @Test
    void mapsWithNaNOrTheWrongShapeAndEmptyImageSetsAreRejected() {
        double[] nan = new double[256];
        nan[3] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationFixtures.batch(model, samples.subList(0, 1), Map.of("bad", new double[][]{nan}), config, 8));
        assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationFixtures.batch(model, samples.subList(0, 1), Map.of("short", new double[][]{new double[10]}), config, 8));
        assertTrue(e.getMessage().contains("short") && e.getMessage().contains("10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationFixtures.batch(model, List.of(), Map.of(), config, 8));
        assertTrue(e.getMessage().contains("no images"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run(64, 0));
    }

    @Test
    void badSettingsNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricRegistry.create(Deletion.ID, MetricRegistry.settings(List.of("deletion.steps=0"))));
        assertTrue(e.getMessage().contains("--set deletion.steps=0") && e.getMessage().contains("> 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MetricRegistry.settings(List.of("accuracy.steps=3")));
        assertTrue(e.getMessage().contains("accuracy") && e.getMessage().contains(RoadCurves.GROUP), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricRegistry.create(RoadMorf.ID, MetricRegistry.settings(List.of("road.fractions=0.2,1.5"))));
        assertTrue(e.getMessage().contains("--set road.fractions=0.2,1.5") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricRegistry.create(Infidelity.ID, MetricRegistry.settings(List.of("infidelity.size=3"))));
        assertTrue(e.getMessage().contains("unknown option") && e.getMessage().contains("fraction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MetricRegistry.create(MaxSensitivity.ID,
                MetricRegistry.settings(List.of("max-sensitivity.samples=ten"))));
        assertTrue(e.getMessage().contains("--set max-sensitivity.samples=ten") && e.getMessage().contains("int"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MetricRegistry.create("accuracy"));
        assertTrue(e.getMessage().contains("accuracy") && e.getMessage().contains(Deletion.ID), e.getMessage());
    }

    @Test
    void metricOptionGroupsAndMethodIdsNeverShareANameSoThatSetKnowsWhichItMeans() {
        for (String group : MetricRegistry.optionGroups()) {
            assertFalse(org.xaiworkbench.explain.AttributionRegistry.ids().contains(group), group);
        }
    }

    @Test
    void everyMetricDescribesItself() {
        for (String id : MetricRegistry.ids()) {
            Metric metric = MetricRegistry.create(id);
            assertEquals(id, metric.id());
            assertFalse(metric.description().isBlank(), id);
        }
    }
}
