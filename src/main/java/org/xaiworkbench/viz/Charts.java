package org.xaiworkbench.viz;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.xaiworkbench.data.AtomicFiles;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Plots rendered to PNG with XChart. */
public final class Charts {
    private Charts() {
    }

    public static void confusionMatrix(long[][] counts, List<String> classNames, String title, Path png) throws IOException {
        HeatMapChart chart = new HeatMapChartBuilder().width(900).height(760).title(title).build();
        chart.setXAxisTitle("predicted");
        chart.setYAxisTitle("actual");
        chart.getStyler().setShowValue(true);
        // the darkest cell stays a mid blue so that the black counts are readable on every cell
        chart.getStyler().setRangeColors(new Color[]{new Color(247, 251, 255), new Color(158, 202, 225), new Color(66, 146, 198)});
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setLegendVisible(false);
        List<Number[]> cells = new ArrayList<>();
        int k = counts.length;
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                // XChart draws y upwards; flipping puts the first class on the top row as in the usual layout.
                cells.add(new Number[]{predicted, k - 1 - actual, counts[actual][predicted]});
            }
        }
        List<String> reversed = new ArrayList<>(classNames);
        java.util.Collections.reverse(reversed);
        chart.addSeries("confusion", classNames, reversed, cells);
        save(chart, png);
    }

    /**
     * Lines over epochs on one chart, e.g. the training run's losses and accuracies.
     *
     * @param seriesByName each line's values, one per epoch, in legend order
     */
    /**
     * Loss (left axis) and accuracy in percent (right axis) per epoch: the two have different units and ranges,
     * so each gets its own axis.
     */
    public static void trainingCurves(double[] epochs, Map<String, double[]> losses, Map<String, double[]> accuracies, String runName,
                                      Path png) throws IOException {
        save(trainingChart(epochs, losses, accuracies, runName), png);
    }

    static XYChart trainingChart(double[] epochs, Map<String, double[]> losses, Map<String, double[]> accuracies, String runName) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(runName + ": loss and accuracy per epoch")
                .xAxisTitle("epoch").build();
        chart.setYAxisGroupTitle(0, "loss");
        chart.setYAxisGroupTitle(1, "accuracy (%)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        addCurves(chart, epochs, losses, 0, 1);
        addCurves(chart, epochs, accuracies, 1, 100);
        return chart;
    }

    private static void addCurves(XYChart chart, double[] epochs, Map<String, double[]> seriesByName, int axis, double scale) {
        seriesByName.forEach((name, values) -> {
            if (values.length != epochs.length) {
                throw new IllegalArgumentException("training curve '" + name + "' has " + values.length + " values for " + epochs.length + " epochs");
            }
            chart.addSeries(name, epochs, Arrays.stream(values).map(v -> v * scale).toArray()).setYAxisGroup(axis);
        });
    }

    /**
     * Grouped bars: for each module, the share of images whose map is dark, one series per method,
     * drawn in percent.
     */
    public static void darkMapShares(String title, List<String> modules, Map<String, double[]> darkShareByMethod, Path png)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(450).title(title).xAxisTitle("module")
                .yAxisTitle("% of images dark").build();
        darkShareByMethod.forEach((method, shares) -> chart.addSeries(method, modules,
                Arrays.stream(shares).mapToObj(share -> 100 * share).toList()));
        save(chart, png);
    }

    public static void save(Chart<?, ?> chart, Path png) throws IOException {
        AtomicFiles.write(png, temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
