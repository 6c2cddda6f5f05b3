package org.xaiworkbench.viz;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The evaluation's plots: mean curves with their 95 % bands, rankings with intervals, sanity-check cascades. */
public final class EvaluationCharts {
    /** One legend line in the 13-point font, with its spacing, and the space above and below the legend. */
    static final int LEGEND_ENTRY = 24;
    private static final int LEGEND_MARGIN = 80;

    private EvaluationCharts() {
    }

    /** A curve's points over images: x positions, mean and the half-width of its 95 % band (1.96 standard errors). */
    public record MeanCurve(String name, double[] x, double[] mean, double[] halfWidth) {
    }

    /** A method's mean with its interval. */
    public record Interval(String name, double mean, double low, double high) {
    }

    /**
     * One line per method, in the palette of {@link SeriesStyles} (the controls grey and dotted); the 95 % bands
     * are left to the ranking table, as 37 sets of error bars would hide the lines.
     */
    public static void curves(String title, String xTitle, String yTitle, List<MeanCurve> curves, Set<String> controls, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(1100).height(heightFor(curves.size())).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisDecimalPattern("0.00");
        styleLegend(chart);
        SeriesStyles styles = new SeriesStyles(controls);
        for (MeanCurve curve : curves) {
            SeriesStyles.Style style = styles.next(curve.name());
            XYSeries series = chart.addSeries(curve.name(), curve.x(), curve.mean());
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(style.color());
            series.setLineStyle(style.stroke());
        }
        Charts.save(chart, png);
    }

    /** Tall enough for the legend beside the plot to list every series: 37 did not fit in 800 pixels. */
    static int heightFor(int series) {
        return Math.max(800, LEGEND_MARGIN + LEGEND_ENTRY * series);
    }

    private static void styleLegend(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13))
                .setLegendSeriesLineLength(36);
    }

    /** Bars of each method's mean with its interval, in the given order. */
    public static void ranking(String title, String yTitle, List<Interval> intervals, Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(600).title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        chart.getStyler().setLegendVisible(false);
        List<String> names = intervals.stream().map(Interval::name).toList();
        List<Double> means = intervals.stream().map(Interval::mean).toList();
        List<Double> errors = intervals.stream().map(i -> (i.high() - i.low()) / 2).toList();
        chart.addSeries(yTitle, names, means, errors);
        Charts.save(chart, png);
    }

    /** One line per method over the randomization stages, x ticks labelled with the layer randomized last. */
    public static void cascade(String title, String yTitle, List<String> stageLabels, Map<String, double[]> meanByMethod,
                               Set<String> controls, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(1100).height(heightFor(meanByMethod.size())).title(title).xAxisTitle("randomized down to")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLabelRotation(45);
        styleLegend(chart);
        chart.getStyler().setMarkerSize(5);
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            int stage = (int) Math.round(x);
            return stage >= 1 && stage <= stageLabels.size() ? stageLabels.get(stage - 1) : "";
        });
        double[] x = new double[stageLabels.size()];
        for (int s = 0; s < x.length; s++) {
            x[s] = s + 1;
        }
        SeriesStyles styles = new SeriesStyles(controls);
        meanByMethod.forEach((method, mean) -> {
            SeriesStyles.Style style = styles.next(method);
            XYSeries series = chart.addSeries(method, x, mean);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(style.color());
            series.setLineColor(style.color());
            series.setLineStyle(style.stroke());
        });
        Charts.save(chart, png);
    }
}
