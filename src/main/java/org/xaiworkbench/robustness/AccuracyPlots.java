package org.xaiworkbench.robustness;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.viz.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Accuracy-against-strength as CSV and line plots. */
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
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title(String.format("%s: test accuracy (%d images)", curve.title(), curve.total()))
                .xAxisTitle(series.axisTitle()).yAxisTitle("accuracy (%)").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setLegendVisible(false);
        double[] x = curve.strengths().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= series.axisScale();
        }
        chart.addSeries(curve.title(), x, percent(curve.accuracies())).setMarker(SeriesMarkers.CIRCLE);
        Charts.save(chart, png);
    }

    /** Every curve on one axis: strength as a fraction of its own largest value, named in the legend. */
    static void writeSummary(List<AccuracyCurve> curves, List<SweepSeries> series, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(550)
                .title(String.format("Accuracy under attacks and corruptions (%d test images)",
                        curves.isEmpty() ? 0 : curves.get(0).total()))
                .xAxisTitle("strength / largest strength of the curve").yAxisTitle("accuracy (%)").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        for (int s = 0; s < curves.size(); s++) {
            AccuracyCurve curve = curves.get(s);
            double[] strengths = curve.strengths();
            double max = strengths[strengths.length - 1];
            double[] x = new double[strengths.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = max == 0 ? 0 : strengths[i] / max;
            }
            String legend = String.format("%s (%s up to %s)", curve.title(), curve.strengthName(),
                    RobustnessRun.strengthText(series.get(s), max));
            chart.addSeries(legend, x, percent(curve.accuracies())).setMarker(SeriesMarkers.CIRCLE);
        }
        Charts.save(chart, png);
    }

    private static double[] percent(double[] fractions) {
        double[] out = new double[fractions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 100 * fractions[i];
        }
        return out;
    }
}
