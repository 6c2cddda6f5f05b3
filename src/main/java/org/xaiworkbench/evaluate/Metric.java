package org.xaiworkbench.evaluate;

import java.util.Map;

/**
 * One faithfulness, robustness or sanity measure of attribution maps. A metric reads the batch's
 * images and maps, asks the batch's probe for the forward passes it needs and returns one value per
 * method and image. Adding a metric is one class plus one line in {@link MetricRegistry}.
 */
public interface Metric {
    String id();

    Direction direction();

    /** One line printed next to the metric's name in the outputs. */
    String description();

    /** The options the metric runs with, by name, as the run's record shows them; empty for a metric without any. */
    default Map<String, Object> describeOptions() {
        return Map.of();
    }

    /** Throws, in one line, when the metric's options do not fit images of that shape; called before any work. */
    default void checkInput(int channels, int height, int width) {
    }

    /** Which images the metric scores: every image, or the first images of a subsample. */
    default Subsample subsample() {
        return Subsample.ALL;
    }

    /** Per method id, one value per image of {@code batch}. */
    Map<String, double[]> values(EvaluationBatch batch);

    enum Subsample { ALL, SENSITIVITY, RANDOMIZATION }
}
