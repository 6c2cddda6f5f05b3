package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.viz.Figure;
import org.xaiworkbench.viz.Heatmap;
import org.xaiworkbench.viz.Pictures;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** The per-image pictures of a robustness run, laid out with {@link Figure}. */
final class RobustnessFigures {
    /** 32 px images ×8, nearest neighbour. */
    static final int CELL = 256;

    /** A prediction as drawn in captions. */
    record Prediction(String className, double probability) {
        String caption() {
            return String.format("%s %.1f%%", className, 100 * probability);
        }
    }

    private RobustnessFigures() {
    }

    /** Original, perturbed, and their difference magnified around mid-gray, with predictions before and after. */
    static void perturbation(String title, INDArray original, INDArray perturbed, String perturbationLabel,
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

    /** One picture of an attribution map: magnitudes in "hot" over the image, signed maps red/blue. */
    static Figure.Panel attributionPanel(String caption, INDArray image, INDArray attribution, boolean signed) {
        Heatmap heatmap = Heatmap.of(attribution);
        if (heatmap.degeneracy().degenerate()) {
            return Figure.Panel.text(caption, heatmap.degeneracy().description());
        }
        BufferedImage base = Pictures.image(image);
        return Figure.Panel.image(caption, signed ? Pictures.signedMap(heatmap) : Pictures.hotOverlay(base, heatmap));
    }
}
