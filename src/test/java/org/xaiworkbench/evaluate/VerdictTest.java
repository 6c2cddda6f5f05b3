package org.xaiworkbench.evaluate;

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
        return new Statistics.Summary(method, mean, mean - halfWidth, mean + halfWidth, 50, rank);
    }

    @Test
    void namesWhoBeatsTheControlsAndWhoFailsRandomization() {
        Map<String, List<Statistics.Summary>> summaries = new LinkedHashMap<>();
        summaries.put(InsertionMinusDeletion.ID, List.of(summary("saliency", 0.40, 0.02, 1), summary("input-x-gradient", 0.20, 0.02, 2),
                summary(Controls.RANDOM, 0.19, 0.02, 2), summary(Controls.EDGES, 0.10, 0.02, 3), summary(Controls.CENTRE, 0.05, 0.01, 4)));
        summaries.put(ModelRandomization.ID, List.of(summary("saliency", 0.1, 0.05, 1), summary("input-x-gradient", 0.8, 0.05, 2),
                summary(Controls.EDGES, 1, 0, 3)));
        String verdict = Verdict.of(summaries, suite);
        assertTrue(verdict.contains("saliency (0.400) rank first"), verdict);
        assertTrue(verdict.contains("1 of 2 methods beat every control map (best control: control-random, 0.190)"), verdict);
        assertTrue(verdict.contains("input-x-gradient (0.200) do no better than a control"), verdict);
        assertTrue(verdict.contains("input-x-gradient (0.80), control-edges (1.00) fail the sanity check"), verdict);
        assertTrue(verdict.contains("saliency (0.10) pass"), verdict);
        assertFalse(verdict.contains("ROAD"), "metrics not run are not mentioned: " + verdict);
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
