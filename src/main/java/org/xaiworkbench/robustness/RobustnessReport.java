package org.xaiworkbench.robustness;

import java.util.List;
import java.util.Map;

/** What a robustness run did and found; written as robustness.json beside the plots. */
public record RobustnessReport(String model, String backend, int images, double seconds, Map<String, Object> config,
                               List<Curve> curves, List<Example> examples,
                               List<ExplanationShift.Shift> explanationShifts, String explanationNote) {
    /** One accuracy curve as plain values. */
    public record Curve(String id, String title, String strengthName, double[] strengths, double[] accuracy,
                        long[] correct, long total) {
        static Curve of(AccuracyCurve curve) {
            return new Curve(curve.id(), curve.title(), curve.strengthName(), curve.strengths(), curve.accuracies(),
                    curve.correct(), curve.total());
        }
    }

    /** One per-image figure: the prediction before and after the perturbation. */
    public record Example(String series, int image, String trueClass, double strength, String classBefore,
                         double probabilityBefore, String classAfter, double probabilityAfter, String file) {
    }

    public Curve curve(String id) {
        return curves.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no curve '" + id + "'"));
    }
}
