package org.xaiworkbench.viz;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.viz.ExplanationFigures.MapView;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The per-image pictures of a robustness run: a perturbation and its effect, explanations before and after. */
public final class RobustnessFigures {
    /** 32 px images ×8, nearest neighbour. */
    static final int CELL = 256;

    /** A prediction as drawn in captions. */
    public record Prediction(String className, double probability) {
        String caption() {
            return String.format("%s %.1f%%", className, 100 * probability);
        }
    }

    /** One row of the explanations figure: an image, captioned, then its attribution maps. */
    public record ExplainedRow(String caption, INDArray image, List<MapView> maps) {
    }

    private RobustnessFigures() {
    }

    /** Original, perturbed, and their difference magnified around mid-gray, with predictions before and after. */
    public static void perturbation(String title, INDArray original, INDArray perturbed, String perturbationLabel,
                                    Prediction before, Prediction after, Path png) throws IOException {
        INDArray difference = perturbed.sub(original);
        double maxAbs = Transforms.abs(difference, true).maxNumber().doubleValue();
        // 0 maps to gray and the largest change to black or white, so tiny attack steps become visible
        double magnification = maxAbs == 0 ? 1 : 0.5 / maxAbs;
        INDArray shown = difference.muli(magnification).addi(0.5);
        new Figure(title, CELL)
                .add(Figure.Panel.image("original: " + before.caption(), Pictures.image(original)))
                .add(Figure.Panel.image(perturbationLabel + ": " + after.caption(), Pictures.image(perturbed)))
                .add(Figure.Panel.image(String.format("difference ×%.1f (max |Δ| %.4f)", magnification, maxAbs),
                        Pictures.image(shown)))
                .writePng(png);
    }

    /** One row per image: the image, then each map, magnitudes in "hot" over the image, signed maps red/blue. */
    public static void explanations(String title, List<ExplainedRow> rows, Path png) throws IOException {
        Figure figure = new Figure(title, CELL);
        for (ExplainedRow row : rows) {
            figure.newRow().add(Figure.Panel.image(row.caption(), Pictures.image(row.image())));
            for (MapView map : row.maps()) {
                figure.add(attributionPanel(map.caption(), row.image(), map.map(), map.signed()));
            }
        }
        figure.writePng(png);
    }

    private static Figure.Panel attributionPanel(String caption, INDArray image, INDArray attribution, boolean signed) {
        Heatmap heatmap = Heatmap.of(attribution);
        if (heatmap.degeneracy().degenerate()) {
            return Figure.Panel.text(caption, heatmap.degeneracy().description());
        }
        return signed ? Figure.Panel.map(caption, Pictures.signedMap(heatmap), Colormap.DIVERGING)
                : Figure.Panel.map(caption, Pictures.hotOverlay(Pictures.image(image), heatmap), Colormap.HOT);
    }
}
