package org.xaiworkbench.evaluate;

import org.xaiworkbench.evaluate.faithfulness.InsertionMinusDeletion;
import org.xaiworkbench.evaluate.faithfulness.RoadCombined;
import org.xaiworkbench.evaluate.randomization.ModelRandomization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.xaiworkbench.explain.MethodContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict is read from the numbers: changing them changes who is named where. */
class VerdictTest {
    private final MethodSuite suite = EvaluationFixtures.suite(EvaluationFixtures.linear(1), List.of("saliency", "input-x-gradient"));

    private static Statistics.Summary summary(String method, double mean, double halfWidth, int rank) {
        return summary(method, mean, halfWidth, rank, 50);
    }

    private static Statistics.Summary summary(String method, double mean, double halfWidth, int rank, int images) {
        return new Statistics.Summary(method, mean, mean - halfWidth, mean + halfWidth, images, rank);
    }

    private static List<Statistics.Summary> controls(double best, int images) {
        return List.of(summary(Controls.RANDOM, best, 0.02, 2, images), summary(Controls.EDGES, 0.10, 0.02, 3, images),
                summary(Controls.CENTRE, 0.05, 0.01, 4, images));
    }

    private static List<Statistics.Summary> with(List<Statistics.Summary> controls, Statistics.Summary... methods) {
        List<Statistics.Summary> all = new java.util.ArrayList<>(List.of(methods));
        all.addAll(controls);
        return all;
    }

    private static List<String> sentences(String verdict) {
        return List.of(verdict.split("(?<=\\.) (?=[A-Z])"));
    }

    @Test
    void groupsTheMethodsByTheHeadlinesOnWhichTheyBeatEveryControl() {
        Map<String, List<Statistics.Summary>> summaries = new LinkedHashMap<>();
        summaries.put(InsertionMinusDeletion.ID, with(controls(0.19, 50), summary("saliency", 0.40, 0.02, 1),
                summary("input-x-gradient", 0.30, 0.02, 2), summary("deeplift", 0.12, 0.02, 3)));
        summaries.put(RoadCombined.ID, with(controls(0.19, 50), summary("saliency", 0.40, 0.02, 1),
                summary("input-x-gradient", 0.15, 0.02, 2), summary("deeplift", 0.10, 0.02, 3)));
        summaries.put(ModelRandomization.ID, List.of(summary("saliency", 0.1, 0.05, 1), summary("input-x-gradient", 0.3, 0.05, 2),
                summary(Controls.EDGES, 1, 0, 3)));
        List<String> verdict = sentences(Verdict.of(summaries, suite));
        assertEquals(List.of(
                "Trust saliency on this model: it beats every control map on insertion − deletion and ROAD over 50 images.",
                "Beat every control map on insertion − deletion only: input-x-gradient.",
                "No better than a control map on either insertion − deletion or ROAD: deeplift.",
                "Every method passes the model-randomization check (50 images); the control maps, which ignore the model, "
                        + "fail it as they should."), verdict);
    }

    @Test
    void aFaithfulMapThatFailsRandomizationIsNotTrusted() {
        Map<String, List<Statistics.Summary>> summaries = new LinkedHashMap<>();
        summaries.put(InsertionMinusDeletion.ID, with(controls(0.19, 50), summary("saliency", 0.40, 0.02, 1),
                summary("input-x-gradient", 0.41, 0.02, 1)));
        summaries.put(ModelRandomization.ID, List.of(summary("saliency", 0.1, 0.05, 1), summary("input-x-gradient", 0.8, 0.05, 2)));
        List<String> verdict = sentences(Verdict.of(summaries, suite));
        assertEquals("Trust saliency on this model: it beats every control map on insertion − deletion over 50 images and passes "
                + "the randomization check.", verdict.get(0));
        assertTrue(verdict.get(1).startsWith("Beat every control map on insertion − deletion but fail the randomization check")
                && verdict.get(1).endsWith(": input-x-gradient."), verdict.get(1));
        assertEquals(1, verdict.stream().filter(v -> v.contains("saliency")).count(), "each method named once: " + verdict);
        assertEquals(1, verdict.stream().filter(v -> v.contains("input-x-gradient")).count(), "each method named once: " + verdict);
    }

    @Test
    void aSmallRunSaysItIsProvisionalAndHowManyImagesWouldSeparateTheLeader() {
        Map<String, List<Statistics.Summary>> summaries = new LinkedHashMap<>();
        // leader 0.30 ± 0.10, best control 0.20 ± 0.10: the intervals part once N grows by ((0.1 + 0.1) / 0.1)^2 = 4
        summaries.put(InsertionMinusDeletion.ID, List.of(summary("saliency", 0.30, 0.10, 1, 10),
                summary("input-x-gradient", 0.25, 0.10, 1, 10), summary(Controls.RANDOM, 0.20, 0.10, 1, 10)));
        List<String> verdict = sentences(Verdict.of(summaries, suite));
        assertTrue(verdict.get(0).startsWith("With 10 images every finding below is provisional"), verdict.get(0));
        assertEquals("No method beats every control map on insertion − deletion over 10 images, so none can be trusted on this "
                + "model yet.", verdict.get(1));
        assertEquals("No better than a control map on insertion − deletion: saliency and input-x-gradient.", verdict.get(2));
        assertEquals("If the means held, about 40 images would separate the best method on insertion − deletion, saliency, "
                + "from the best control map, control-random.", verdict.get(3));
        assertFalse(String.join(" ", verdict).contains("ROAD"), "metrics not run are not mentioned: " + verdict);
    }

    @Test
    void saysSoWhenNothingWasMeasured() {
        assertEquals("No faithfulness or sanity metric was computed.", Verdict.of(Map.of(), suite));
    }

    @Test
    void theSuiteRejectsUnknownMethods() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MethodSuite(List.of("magic"), MethodContext.of(EvaluationFixtures.linear(1)), true,
                        DataType.DOUBLE));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }
}
