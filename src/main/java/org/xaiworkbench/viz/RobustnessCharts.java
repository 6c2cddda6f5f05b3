package org.xaiworkbench.viz;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The accuracy-against-strength plots of a robustness run, accuracy drawn in percent. */
public final class RobustnessCharts {
    /** One curve: the accuracy (a fraction) at each strength, ascending, and its name in the legend. */
    public record AccuracySeries(String name, double[] strengths, double[] accuracies) {
    }

    private RobustnessCharts() {
    }

    /** One curve on its own axis, strengths as given. */
    public static void accuracyCurve(String title, String xAxisTitle, AccuracySeries curve, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xAxisTitle)
                .yAxisTitle("accuracy (%)").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setLegendVisible(false);
        chart.addSeries(curve.name(), curve.strengths(), percent(curve.accuracies())).setMarker(SeriesMarkers.CIRCLE);
        Charts.save(chart, png);
    }

    /** Every curve on one axis: strength as a fraction of the curve's largest (last) strength. */
    public static void accuracySummary(String title, List<AccuracySeries> curves, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(550).title(title)
                .xAxisTitle("strength / largest strength of the curve").yAxisTitle("accuracy (%)").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        for (AccuracySeries curve : curves) {
            double[] strengths = curve.strengths();
            double max = strengths[strengths.length - 1];
            double[] x = new double[strengths.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = max == 0 ? 0 : strengths[i] / max;
            }
            chart.addSeries(curve.name(), x, percent(curve.accuracies())).setMarker(SeriesMarkers.CIRCLE);
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
