package org.xaiworkbench.viz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.viz.ExplanationFigures.MapView;
import org.xaiworkbench.viz.RobustnessFigures.ExplainedRow;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The pictures the robustness and cam-layers commands hand to viz as data and a path. */
class RobustnessPicturesTest {
    private static BufferedImage read(Path png) throws Exception {
        BufferedImage picture = ImageIO.read(png.toFile());
        assertNotNull(picture, png + " is not a readable PNG");
        return picture;
    }

    @Test
    void explanationsDrawOneRowPerImageAndTextForADarkMap(@TempDir Path dir) throws Exception {
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32);
        MapView lit = new MapView("saliency", Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32), false);
        MapView dark = new MapView("integrated-gradients", Nd4j.zeros(DataType.FLOAT, 1, 3, 32, 32), true);
        Path png = dir.resolve("explanations.png");

        RobustnessFigures.explanations("before and after", List.of(new ExplainedRow("clean", image, List.of(lit, dark)),
                new ExplainedRow("attacked", image, List.of(lit, dark))), png);

        BufferedImage picture = read(png);
        int pad = 8;
        assertEquals(pad + 3 * (RobustnessFigures.CELL + pad), picture.getWidth(), "the image and two maps per row");
        assertEquals(2, (picture.getHeight() - pad) / (RobustnessFigures.CELL + 34 + pad), "two rows");
    }

    @Test
    void chartsAreWrittenAsPngsOfTheirSize(@TempDir Path dir) throws Exception {
        RobustnessCharts.AccuracySeries fgsm = new RobustnessCharts.AccuracySeries("fgsm", new double[]{0, 2, 4, 8},
                new double[]{0.9, 0.5, 0.2, 0.05});
        RobustnessCharts.AccuracySeries noise = new RobustnessCharts.AccuracySeries("noise", new double[]{0, 0.1},
                new double[]{0.9, 0.7});
        RobustnessCharts.accuracyCurve("fgsm", "ε × 255", fgsm, dir.resolve("curve.png"));
        RobustnessCharts.accuracySummary("all", List.of(fgsm, noise), dir.resolve("summary.png"));
        Map<String, double[]> dark = new LinkedHashMap<>();
        dark.put("grad-cam", new double[]{0.1, 0.6});
        dark.put("grad-cam-plus-plus", new double[]{0, 0.3});
        Charts.darkMapShares("dark maps", List.of("12", "14"), dark, dir.resolve("cam-layers.png"));

        assertEquals(800, read(dir.resolve("curve.png")).getWidth());
        assertEquals(900, read(dir.resolve("summary.png")).getWidth());
        assertEquals(1000, read(dir.resolve("cam-layers.png")).getWidth());
    }
}
