package org.xaiworkbench.evaluate;

import java.util.List;
import java.util.Locale;

/**
 * What figures and files call an evaluated image, and the true class they may show: CIFAR-10 test
 * images go by their test-set index and have a truth; your own pictures go by their file names and
 * have none (their label is the model's prediction).
 */
public final class ImageNames {
    private final List<String> pictureNames;
    private final List<String> datasetClasses;

    private ImageNames(List<String> pictureNames, List<String> datasetClasses) {
        this.pictureNames = pictureNames;
        this.datasetClasses = datasetClasses;
    }

    /** Test images named cifarNNNN, their labels named by the dataset's classes (which need not be the model's). */
    public static ImageNames testImages(List<String> datasetClasses) {
        return new ImageNames(null, List.copyOf(datasetClasses));
    }

    /** Pictures named by {@code names}, sample index i being names[i]. */
    public static ImageNames pictures(List<String> names) {
        return new ImageNames(List.copyOf(names), null);
    }

    public String name(Sample sample) {
        return pictureNames == null ? String.format(Locale.ROOT, "cifar%04d", sample.index()) : pictureNames.get(sample.index());
    }

    /** The sample's true class, or null for a picture of your own. */
    public String truth(Sample sample) {
        return datasetClasses == null ? null : datasetClasses.get(sample.label());
    }
}
