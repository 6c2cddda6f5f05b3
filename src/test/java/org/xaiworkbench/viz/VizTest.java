package org.xaiworkbench.viz;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VizTest {
    @Test
    void hotRunsFromNearBlackThroughRedAndYellowToWhite() {
        assertEquals(0x0B0000, Colormap.HOT.rgb(0));
        assertEquals(0xFFFFFF, Colormap.HOT.rgb(1));
        assertEquals(0xFF0000, Colormap.HOT.rgb(0.365079));
        assertEquals(0xFFFF00, Colormap.HOT.rgb(0.746032));
        assertEquals(Colormap.HOT.rgb(0), Colormap.HOT.rgb(-5), "below range clips");
        assertEquals(Colormap.HOT.rgb(1), Colormap.HOT.rgb(7), "above range clips");
        int previous = -1;
        for (double t = 0; t <= 1; t += 0.01) {
            int rgb = Colormap.HOT.rgb(t);
            int brightness = ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
            assertTrue(brightness >= previous, "hot must brighten monotonically at " + t);
            previous = brightness;
        }
    }

    @Test
    void divergingIsBlueForNegativeWhiteForZeroRedForPositive() {
        assertEquals(0x0000FF, Colormap.DIVERGING.rgb(-1));
        assertEquals(0xFFFFFF, Colormap.DIVERGING.rgb(0));
        assertEquals(0xFF0000, Colormap.DIVERGING.rgb(1));
        int negative = Colormap.DIVERGING.rgb(-0.4);
        int positive = Colormap.DIVERGING.rgb(0.4);
        assertTrue((negative & 0xFF) > ((negative >> 16) & 0xFF), "negative is bluer than red");
        assertTrue(((positive >> 16) & 0xFF) > (positive & 0xFF), "positive is redder than blue");
    }

    @Test
    void degenerateMapsAreRecognised() {
        assertEquals(Degeneracy.ALL_ZERO, Degeneracy.of(new double[16]));
        assertEquals(Degeneracy.CONSTANT, Degeneracy.of(new double[]{0.3, 0.3, 0.3, 0.3}));
        assertEquals(Degeneracy.CONSTANT, Degeneracy.of(new double[]{-2e-5, -2e-5}));
        assertEquals(Degeneracy.NOT_FINITE, Degeneracy.of(new double[]{0, Double.NaN, 1}));
        assertEquals(Degeneracy.NOT_FINITE, Degeneracy.of(new double[]{Double.POSITIVE_INFINITY, 1}));
        assertEquals(Degeneracy.NONE, Degeneracy.of(new double[]{0, 1e-9}));
        assertEquals(Degeneracy.NONE, Degeneracy.of(new double[]{0.3, 0.31}));
    }

    @Test
    void heatmapSumsChannelsAndScales() {
        // [1,2,1,3]: channel sums are -3, 0, 6
        Heatmap map = Heatmap.of(Nd4j.create(new double[]{-1, 0, 2, -2, 0, 4}, new long[]{1, 2, 1, 3}, DataType.DOUBLE));
        assertEquals(3, map.width());
        assertEquals(1, map.height());
        assertArrayEquals(new double[]{-3, 0, 6}, map.values(), 1e-12);
        assertArrayEquals(new double[]{-0.5, 0, 1}, map.signedScaled(), 1e-9);
        assertArrayEquals(new double[]{0, 1.0 / 3, 1}, map.unsignedScaled(), 1e-9);
        assertArrayEquals(new double[]{0.5, 0, 1}, map.magnitude().unsignedScaled(), 1e-9);
    }

    @Test
    void fewExtremePixelsAreClippedAsCaptumDoes() {
        // 1000 pixels of 1 and one of 15: the extreme pixel holds under 2% of the total, so the scale is 1
        double[] values = new double[1001];
        Arrays.fill(values, 1);
        values[0] = 15;
        assertEquals(1, Heatmap.robustMax(values), 1e-12);
        double[] signed = new Heatmap(values, 1001, 1).signedScaled();
        assertEquals(1, signed[0], 1e-9, "clipped");
        assertEquals(1, signed[1], 1e-9);
        // with even values nothing is clipped: 1..10 sum 55, 98% = 53.9 is reached only at 10
        assertEquals(10, Heatmap.robustMax(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 1e-12);
    }

    @Test
    void signedPictureShowsSignAsColour() {
        Heatmap map = new Heatmap(new double[]{-2, 0, 1}, 3, 1);
        BufferedImage picture = Pictures.signedMap(map);
        assertEquals(0x0000FF, picture.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, picture.getRGB(1, 0) & 0xFFFFFF);
        int positive = picture.getRGB(2, 0) & 0xFFFFFF;
        assertEquals(0xFF8080, positive, "half the largest magnitude is half-saturated red");
    }

    @Test
    void overlayBlendsHalfAndHalf() {
        BufferedImage grey = Pictures.image(Nd4j.valueArrayOf(new long[]{1, 3, 1, 2}, 0.4, DataType.DOUBLE));
        BufferedImage overlay = Pictures.hotOverlay(grey, new Heatmap(new double[]{0, 5}, 2, 1));
        int base = 102;
        assertEquals(Math.round((base + 0x0B) / 2.0), (overlay.getRGB(0, 0) >> 16) & 0xFF);
        assertEquals(Math.round((base + 255) / 2.0), overlay.getRGB(1, 0) & 0xFF, "the maximum is white");
        BufferedImage large = Pictures.upscale(grey, 128, 64, false);
        assertEquals(grey.getRGB(1, 0), large.getRGB(127, 63));
    }

    @Test
    void limeRegionsAreTheLargestPositiveSuperpixels() {
        // four superpixels with coefficients 0.5, -1, 0.2, 0.9 (constant on each pixel of the superpixel)
        Heatmap map = new Heatmap(new double[]{0.5, 0.5, -1, -1, 0.2, 0.9}, 6, 1);
        assertArrayEquals(new boolean[]{true, true, false, false, false, true}, ExplanationFigures.topPositiveRegions(map, 2));
        assertArrayEquals(new boolean[]{true, true, false, false, true, true}, ExplanationFigures.topPositiveRegions(map, 5));
        assertArrayEquals(new boolean[3], ExplanationFigures.topPositiveRegions(new Heatmap(new double[]{-1, 0, -2}, 3, 1), 5));
    }

    @Test
    void degenerateMapBecomesTextPanel() {
        Figure.Panel panel = ExplanationFigures.overlayPanel("grad-cam", new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB),
                new Heatmap(new double[]{0, 0}, 2, 1));
        assertEquals(Degeneracy.ALL_ZERO.description(), panel.text());
        Figure.Panel nan = ExplanationFigures.signedPanel("ig", new Heatmap(new double[]{Double.NaN, 1}, 2, 1));
        assertEquals(Degeneracy.NOT_FINITE.description(), nan.text());
        assertNotNull(ExplanationFigures.overlayPanel("ok", new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB),
                new Heatmap(new double[]{0, 1}, 2, 1)).image());
    }

    /**
     * Loss and accuracy are drawn on axes of their own (accuracy in percent, on the right); a series with another
     * length than the epochs is refused.
     */
    @Test
    void trainingCurvesPutLossAndAccuracyOnSeparateAxes(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        Map<String, double[]> losses = Map.of("train loss", new double[]{2.0, 1.5, 1.2});
        Map<String, double[]> accuracies = Map.of("validation accuracy", new double[]{0.3, 0.5, 0.6});
        XYChart chart = Charts.trainingChart(new double[]{1, 2, 3}, losses, accuracies, "base");
        assertEquals(0, chart.getSeriesMap().get("train loss").getYAxisGroup());
        assertEquals(1, chart.getSeriesMap().get("validation accuracy").getYAxisGroup());
        assertArrayEquals(new double[]{30, 50, 60}, chart.getSeriesMap().get("validation accuracy").getYData(), 1e-9);
        assertEquals("accuracy (%)", chart.getYAxisGroupTitle(1));
        Charts.trainingCurves(new double[]{1, 2, 3}, losses, accuracies, "base", png);
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(900, read.getWidth());
        assertEquals(500, read.getHeight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.trainingCurves(new double[]{1, 2}, losses, accuracies, "base", dir.resolve("bad.png")));
        assertTrue(e.getMessage().contains("train loss"), "names the series");
        assertFalse(Files.exists(dir.resolve("bad.png")), "nothing written");
    }

    /**
     * A thumbnail is the cell-sized map with the hot scale under it running from black (0) to white (the map's
     * maximum); a map that is zero everywhere is a grey tile without a scale.
     */
    @Test
    void thumbnailsCarryTheHotScaleAndGreyOutEmptyMaps() {
        INDArray image = Nd4j.rand(DataType.DOUBLE, 1, 3, 32, 32);
        BufferedImage tile = ExplanationFigures.thumbnail(image, new ExplanationFigures.MapView("m", Nd4j.rand(DataType.DOUBLE, 1, 1, 32, 32), false));
        int cell = ExplanationFigures.CELL;
        assertEquals(cell, tile.getWidth());
        assertEquals(cell + ExplanationFigures.THUMBNAIL_SCALE, tile.getHeight());
        int scaleRow = cell + ExplanationFigures.THUMBNAIL_SCALE - 1;
        assertEquals(Colormap.HOT.rgb(0), tile.getRGB(0, scaleRow) & 0xFFFFFF, "the scale starts at the colour of 0");
        assertEquals(0xFFFFFF, tile.getRGB(cell - 1, scaleRow) & 0xFFFFFF, "and ends at the colour of the maximum");

        BufferedImage empty = ExplanationFigures.thumbnail(image, new ExplanationFigures.MapView("m", Nd4j.zeros(DataType.DOUBLE, 1, 1, 32, 32), false));
        assertEquals(0xC8C8C8, empty.getRGB(cell / 2, cell / 2) & 0xFFFFFF, "grey tile");
        assertEquals(0xFFFFFF, empty.getRGB(cell - 1, scaleRow) & 0xFFFFFF, "no scale for a map without values");
    }

    /** CIFAR-10's longest class name with a three-digit probability fits a probability row of the explanation figures. */
    @Test
    void probabilityLabelsAreWholeInTheExplanationFiguresCells() {
        java.awt.Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        for (String label : List.of("automobile 100%", "airplane 100%", "truck 7%")) {
            assertEquals(label, Figure.barLabel(g, label, ExplanationFigures.CELL));
        }
        assertTrue(Figure.barLabel(g, "a class name far too long for a cell 100%", ExplanationFigures.CELL).endsWith("…"));
    }

    @Test
    void figureWritesAValidPngWithAllPanelKinds(@TempDir Path dir) throws Exception {
        BufferedImage tile = Pictures.image(Nd4j.rand(DataType.DOUBLE, 1, 3, 32, 32));
        Figure figure = new Figure("predicted: cat (87.0%)", 96)
                .add(Figure.Panel.image("original", tile))
                .add(Figure.Panel.text("grad-cam", Degeneracy.ALL_ZERO.description()))
                .newRow()
                .add(Figure.Panel.bars("probabilities", List.of("cat", "dog"), new double[]{0.87, 0.1}));
        Path png = dir.resolve("sub/figure.png");
        figure.writePng(png);
        BufferedImage read = ImageIO.read(png.toFile());
        assertNotNull(read);
        assertTrue(read.getWidth() >= 2 * 96 && read.getHeight() >= 2 * 96, read.getWidth() + "x" + read.getHeight());
        assertEquals(1, Files.list(png.getParent()).count(), "no temporary files left behind");
    }

    @Test
    void aFigureWithMapsDrawsEachColourScaleOnceAboveItsPanels() {
        BufferedImage picture = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Figure plain = new Figure("t", 64).add(Figure.Panel.image("original", picture));
        Figure hot = new Figure("t", 64).add(Figure.Panel.image("original", picture))
                .add(Figure.Panel.map("a", picture, Colormap.HOT)).add(Figure.Panel.map("b", picture, Colormap.HOT));
        Figure both = new Figure("t", 64).add(Figure.Panel.map("a", picture, Colormap.HOT))
                .add(Figure.Panel.map("b", picture, Colormap.DIVERGING));
        int plainHeight = plain.render().getHeight();
        BufferedImage oneScale = hot.render();
        assertEquals(plainHeight + 18, oneScale.getHeight(), "one scale row for two panels in the same colours");
        assertEquals(plainHeight + 2 * 18, both.render().getHeight(), "one row per colour map");
        // the bar starts at the pad, under the one title line; inside its frame it runs from the map's low end to its high end
        int top = 8 + 19 + 4 + 5;
        assertEquals(Colormap.HOT.rgb(1 / 79.0), oneScale.getRGB(8 + 1, top) & 0xFFFFFF);
        assertEquals(Colormap.HOT.rgb(78 / 79.0), oneScale.getRGB(8 + 78, top) & 0xFFFFFF);
        BufferedImage signed = new Figure("t", 64).add(Figure.Panel.map("b", picture, Colormap.DIVERGING)).render();
        assertEquals(Colormap.DIVERGING.rgb(-1 + 2 / 79.0), signed.getRGB(8 + 1, top) & 0xFFFFFF);
        assertTrue(Figure.legend(Colormap.DIVERGING).contains("per map") && Figure.legend(Colormap.HOT).contains("per map"));
        java.awt.Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        probe.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        for (Colormap colormap : Colormap.values()) {
            // the narrowest figure is 320 px: 8 px pads, the 80 px bar and 8 px before the text
            assertTrue(probe.getFontMetrics().stringWidth(Figure.legend(colormap)) <= 320 - 16 - 88, colormap + " legend fits");
        }
    }

    @Test
    void everyMethodOfAnAllMethodsRunFitsInTheCurvesLegend(@TempDir Path dir) throws Exception {
        List<EvaluationCharts.MeanCurve> curves = new ArrayList<>();
        for (int m = 0; m < 37; m++) {
            curves.add(new EvaluationCharts.MeanCurve("method-" + m, new double[]{0, 1}, new double[]{m / 37.0, 1}, new double[2]));
        }
        Path png = dir.resolve("curves.png");
        EvaluationCharts.curves("t", "x", "y", curves, Set.of("method-36"), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getHeight() >= 37 * EvaluationCharts.LEGEND_ENTRY, "height " + image.getHeight());
        assertEquals(800, EvaluationCharts.heightFor(9), "a default run keeps the usual height");
    }
}
