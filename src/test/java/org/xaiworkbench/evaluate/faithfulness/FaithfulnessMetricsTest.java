package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.CurvePoint;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.EvaluationConfig;
import org.xaiworkbench.evaluate.EvaluationFixtures;
import org.xaiworkbench.evaluate.Maps;
import org.xaiworkbench.evaluate.Metric;
import org.xaiworkbench.evaluate.Sample;
import org.junit.jupiter.api.Test;
import org.xaiworkbench.model.graph.GraphClassifier;

import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deletion, insertion, infidelity and faithfulness correlation on an additive model, where the exact contributions are known. */
class FaithfulnessMetricsTest {
    private static final int RANDOM_MAPS = 30;

    private final GraphClassifier linear = EvaluationFixtures.linear(11);
    private final List<Sample> samples = EvaluationFixtures.samples(linear, EvaluationFixtures.images(2, 3, 8, 5));

    /** w·(x - 0) per value: each pixel's exact contribution to the target logit against a black baseline. */
    private double[][] exactContributions() {
        double[][] maps = new double[samples.size()][];
        for (int i = 0; i < samples.size(); i++) {
            double[] w = EvaluationFixtures.classWeights(linear, samples.get(i).target());
            double[] x = samples.get(i).pixels();
            maps[i] = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                maps[i][k] = w[k] * x[k];
            }
        }
        return maps;
    }

    private Map<String, double[][]> exactReversedAndRandom() {
        double[][] exact = exactContributions();
        double[][] reversed = new double[exact.length][];
        for (int i = 0; i < exact.length; i++) {
            reversed[i] = Arrays.stream(exact[i]).map(v -> -v).toArray();
        }
        Map<String, double[][]> maps = new LinkedHashMap<>();
        maps.put("exact", exact);
        maps.put("reversed", reversed);
        SplittableRandom random = new SplittableRandom(1);
        for (int m = 0; m < RANDOM_MAPS; m++) {
            double[][] map = new double[samples.size()][];
            for (int i = 0; i < map.length; i++) {
                map[i] = random.doubles(64).toArray();
            }
            maps.put("random" + m, map);
        }
        return maps;
    }

    @Test
    void exactContributionsHaveZeroNormalisedInfidelityAndPerfectCorrelation() {
        Map<String, double[][]> maps = new LinkedHashMap<>();
        maps.put("exact", exactContributions());
        double[][] scaled = Arrays.stream(exactContributions())
                .map(m -> Arrays.stream(m).map(v -> 7 * v).toArray()).toArray(double[][]::new);
        maps.put("scaled", scaled);
        EvaluationBatch batch = EvaluationFixtures.batch(linear, samples, maps, EvaluationFixtures.config(), 64);
        Map<String, double[]> infidelity = new Infidelity(EvaluationFixtures.subsets()).values(batch);
        Map<String, double[]> correlation = new FaithfulnessCorrelation(EvaluationFixtures.subsets()).values(batch);
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(0, infidelity.get("exact")[i], 1e-9);
            assertEquals(0, infidelity.get("scaled")[i], 1e-9, "normalised infidelity ignores the map's scale");
            assertEquals(1, correlation.get("exact")[i], 1e-9);
        }
    }

    @Test
    void deletionInTheExactOrderFallsFastestAndTheReversedOrderSlowest() {
        EvaluationBatch batch = EvaluationFixtures.batch(linear, samples, exactReversedAndRandom(), EvaluationFixtures.config(), 64);
        Map<String, double[]> deletion = new Deletion(EvaluationFixtures.logitCurves(16)).values(batch);
        Map<String, double[]> insertion = new Insertion(EvaluationFixtures.logitCurves(16)).values(batch);
        for (int i = 0; i < samples.size(); i++) {
            for (int m = 0; m < RANDOM_MAPS; m++) {
                double random = deletion.get("random" + m)[i];
                assertTrue(deletion.get("exact")[i] < random, "exact " + deletion.get("exact")[i] + " vs random " + random);
                assertTrue(deletion.get("reversed")[i] > random, "reversed " + deletion.get("reversed")[i] + " vs random " + random);
                assertTrue(insertion.get("exact")[i] > insertion.get("random" + m)[i]);
            }
        }
    }

    @Test
    void aRandomMapsDeletionAndInsertionAgreeInExpectation() {
        Map<String, double[][]> maps = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(2);
        int draws = 300;
        for (int m = 0; m < draws; m++) {
            maps.put("random" + m, new double[][]{random.doubles(64).toArray()});
        }
        List<Sample> one = samples.subList(0, 1);
        EvaluationBatch batch = EvaluationFixtures.batch(linear, one, maps, EvaluationFixtures.config(), 128);
        Map<String, double[]> deletion = new Deletion(EvaluationFixtures.logitCurves(8)).values(batch);
        Map<String, double[]> insertion = new Insertion(EvaluationFixtures.logitCurves(8)).values(batch);
        double[] gaps = new double[draws];
        double[] deletions = new double[draws];
        for (int m = 0; m < draws; m++) {
            gaps[m] = insertion.get("random" + m)[0] - deletion.get("random" + m)[0];
            deletions[m] = deletion.get("random" + m)[0];
        }
        Sample sample = one.get(0);
        double full = sample.logits()[sample.target()];
        double black = EvaluationFixtures.logits(linear, new double[sample.pixels().length])[sample.target()];
        // an additive model's expected curve is the straight line between its ends, so both areas average (f(x) + f(0)) / 2
        assertWithinStandardErrors(0, gaps);
        assertWithinStandardErrors((full + black) / 2, deletions);
    }

    private static void assertWithinStandardErrors(double expected, double[] draws) {
        double mean = Arrays.stream(draws).average().orElseThrow();
        double variance = Arrays.stream(draws).map(v -> (v - mean) * (v - mean)).sum() / (draws.length - 1);
        double standardError = Math.sqrt(variance / draws.length);
        assertTrue(standardError > 0, "the draws vary");
        assertTrue(Math.abs(mean - expected) < 4 * standardError,
                "mean " + mean + " vs expected " + expected + " (standard error " + standardError + ")");
    }

    @Test
    void curvesStartAtTheImageAndEndAtTheSubstrate() {
        Map<String, double[][]> maps = Map.of("exact", exactContributions());
        EvaluationBatch batch = EvaluationFixtures.batch(linear, samples, maps, EvaluationFixtures.config(), 64);
        new Deletion(EvaluationFixtures.logitCurves(8)).values(batch);
        new Insertion(EvaluationFixtures.logitCurves(8)).values(batch);
        Sample sample = samples.get(0);
        double black = EvaluationFixtures.logits(linear, new double[sample.pixels().length])[sample.target()];
        List<CurvePoint> deletion = batch.curves().stream().filter(p -> p.image() == 0 && p.curve().equals("deletion")).toList();
        assertEquals(9, deletion.size());
        assertEquals(sample.logits()[sample.target()], deletion.get(0).y(), 1e-9);
        assertEquals(black, deletion.get(8).y(), 1e-9);
        double[] exact = Maps.pixelMap(exactContributions()[0], sample);
        int[] order = Maps.descendingOrder(exact);
        for (int s = 1; s < 8; s++) {
            double expected = sample.logits()[sample.target()];
            for (int k = 0; k < 8 * s; k++) {
                expected -= exact[order[k]];
            }
            assertEquals(expected, deletion.get(s).y(), 1e-9, "after " + 8 * s + " of 64 pixels removed");
        }
        List<CurvePoint> insertion = batch.curves().stream().filter(p -> p.image() == 0 && p.curve().equals("insertion")).toList();
        assertEquals(black, insertion.get(0).y(), 1e-9);
        assertEquals(sample.logits()[sample.target()], insertion.get(8).y(), 1e-9);
    }

    @Test
    void roadRemovingTheMostRelevantPixelsLowersTheScoreMoreThanRemovingTheLeast() {
        EvaluationConfig config = EvaluationFixtures.config();
        EvaluationBatch batch = EvaluationFixtures.batch(linear, samples, Map.of("exact", exactContributions()), config, 64);
        Map<String, double[]> morf = new RoadMorf(EvaluationFixtures.logitRoad()).values(batch);
        Map<String, double[]> lerf = new RoadLerf(EvaluationFixtures.logitRoad()).values(batch);
        Map<String, double[]> combined = new RoadCombined(EvaluationFixtures.logitRoad()).values(batch);
        for (int i = 0; i < samples.size(); i++) {
            assertTrue(morf.get("exact")[i] < lerf.get("exact")[i]);
            assertEquals((lerf.get("exact")[i] - morf.get("exact")[i]) / 2, combined.get("exact")[i], 1e-12);
        }
    }

    @Test
    void subsetsOfChannelValuesOrPixelsFilledWithTheMinimumDropByTheirExactContributions() {
        for (SubsetPerturbations.Unit unit : SubsetPerturbations.Unit.values()) {
            SubsetPerturbations.Options options = new SubsetPerturbations.Options(40, 0.05, unit, SubsetPerturbations.Fill.MIN,
                    Score.LOGIT);
            Map<String, double[][]> maps = new LinkedHashMap<>();
            double[][] againstMin = new double[samples.size()][];
            for (int i = 0; i < samples.size(); i++) {
                double[] w = EvaluationFixtures.classWeights(linear, samples.get(i).target());
                double[] x = samples.get(i).pixels();
                double min = Arrays.stream(x).min().orElseThrow();
                againstMin[i] = new double[x.length];
                for (int k = 0; k < x.length; k++) {
                    againstMin[i][k] = w[k] * (x[k] - min);
                }
            }
            maps.put("against-min", againstMin);
            EvaluationBatch batch = EvaluationFixtures.batch(linear, samples, maps, EvaluationFixtures.config(), 64);
            for (int i = 0; i < samples.size(); i++) {
                Sample sample = samples.get(i);
                SubsetPerturbations subsets = SubsetPerturbations.of(batch, i, options);
                int units = unit == SubsetPerturbations.Unit.PIXEL ? sample.pixelCount() : sample.pixels().length;
                for (int j = 0; j < subsets.subsets().length; j++) {
                    int[] subset = subsets.subsets()[j];
                    assertEquals(Math.round(0.05 * units), subset.length, unit + ": values per subset");
                    assertEquals(subset.length, Arrays.stream(subset).distinct().count());
                    double expected = 0;
                    for (int index : subset) {
                        for (int c = 0; c < (unit == SubsetPerturbations.Unit.PIXEL ? sample.channels() : 1); c++) {
                            expected += againstMin[i][c * sample.pixelCount() + index];
                        }
                    }
                    assertEquals(expected, subsets.drops()[j], 1e-9, unit + " subset " + j);
                }
            }
            assertEquals(1, new FaithfulnessCorrelation(options).values(batch).get("against-min")[0], 1e-9, unit.name());
            assertEquals(0, new Infidelity(options).values(batch).get("against-min")[0], 1e-9, unit.name());
        }
    }

    @Test
    void aSubsetFractionThatRoundsToNoValueIsRefusedBeforeAnyWork() {
        Metric metric = new FaithfulnessCorrelation(new SubsetPerturbations.Options(10, 0.001, SubsetPerturbations.Unit.PIXEL,
                SubsetPerturbations.Fill.ZERO, Score.LOGIT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metric.checkInput(3, 8, 8));
        assertTrue(e.getMessage().contains("0.001") && e.getMessage().contains("64 pixels"), e.getMessage());
        metric.checkInput(3, 32, 32);
    }
}
