package org.xaiworkbench.robustness;

import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.viz.RobustnessCharts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Accuracy-against-strength as CSV, and the data and titles of its plots ({@link RobustnessCharts} draws them). */
final class AccuracyPlots {
    private AccuracyPlots() {
    }

    static void writeCsv(List<AccuracyCurve> curves, Path csv) throws IOException {
        StringBuilder text = new StringBuilder("perturbation,strength_name,strength,correct,total,accuracy\n");
        for (AccuracyCurve curve : curves) {
            for (int i = 0; i < curve.strengths().length; i++) {
                text.append(String.format(Locale.ROOT, "%s,%s,%.6f,%d,%d,%.6f%n", curve.id(), curve.strengthName(),
                        curve.strengths()[i], curve.correct()[i], curve.total(), curve.accuracy(i)));
            }
        }
        AtomicFiles.writeString(csv, text.toString());
    }

    static void writeCurve(AccuracyCurve curve, SweepSeries series, Path png) throws IOException {
        double[] x = curve.strengths().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= series.axisScale();
        }
        RobustnessCharts.accuracyCurve(String.format("%s: test accuracy (%d images)", curve.title(), curve.total()),
                series.axisTitle(), new RobustnessCharts.AccuracySeries(curve.title(), x, curve.accuracies()), png);
    }

    /** Every curve on one axis, each named with its strength's name and largest value. */
    static void writeSummary(List<AccuracyCurve> curves, List<SweepSeries> series, Path png) throws IOException {
        List<RobustnessCharts.AccuracySeries> named = new ArrayList<>();
        for (int s = 0; s < curves.size(); s++) {
            AccuracyCurve curve = curves.get(s);
            double largest = curve.strengths()[curve.strengths().length - 1];
            String legend = String.format("%s (%s up to %s)", curve.title(), curve.strengthName(),
                    RobustnessRun.strengthText(series.get(s), largest));
            named.add(new RobustnessCharts.AccuracySeries(legend, curve.strengths(), curve.accuracies()));
        }
        RobustnessCharts.accuracySummary(String.format("Accuracy under attacks and corruptions (%d test images)",
                curves.isEmpty() ? 0 : curves.get(0).total()), named, png);
    }
}
