package org.xaiworkbench.data;

/**
 * The names of the files the commands write and the report reads, in one place, so that the writer and the
 * reader of a file cannot spell it differently.
 */
public final class OutputFiles {
    /** make train, in the weights folder: the run's measurements, its confusion matrix, loss and accuracy per epoch. */
    public static final String TRAINING_METRICS = "metrics.json";
    public static final String CONFUSION_FIGURE = "confusion.png";
    public static final String TRAINING_CURVES_FIGURE = "curves.png";

    /** make explain and make explain-dataset: what was explained and where each figure or map went. */
    public static final String EXPLAINED = "explained.json";

    /** make evaluate: per-image values, per-image curves, the summary with ranks and the verdict. */
    public static final String EVALUATION_VALUES = "metrics.csv";
    public static final String EVALUATION_CURVES = "curves.csv";
    public static final String EVALUATION_SUMMARY = "summary.json";

    /** make robustness: curves and examples, and the plot of every curve together. */
    public static final String ROBUSTNESS = "robustness.json";
    public static final String ROBUSTNESS_SUMMARY_FIGURE = "accuracy-summary.png";

    /** make cam-layers: the survey's table, its run (weights, images, finish) and its chart. */
    public static final String CAM_LAYERS_TABLE = "cam-layers.csv";
    public static final String CAM_LAYERS_RUN = "cam-layers.json";
    public static final String CAM_LAYERS_FIGURE = "cam-layers.png";

    private OutputFiles() {
    }

    /** make evaluate: the mean curve of every method of one curve kind (deletion, insertion). */
    public static String curvesFigure(String curve) {
        return curve + "-curves.png";
    }

    /** make evaluate: one metric's ranking with intervals. */
    public static String rankingFigure(String metric) {
        return "ranking-" + metric + ".png";
    }

    /** make evaluate: a sanity check's cascade of one similarity curve (randomization-spearman, randomization-ssim). */
    public static String sanityFigure(String curve) {
        return "sanity-" + curve + ".png";
    }

    /** make robustness: accuracy against strength of one attack or corruption. */
    public static String accuracyFigure(String id) {
        return "accuracy-" + id + ".png";
    }
}
