package org.xaiworkbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * How pictures become a model's input, and what a model file leaves unsaid that a convention fixes.
 * {@code none}: the largest centred square, resized to the input; normalization and class names from
 * the model's sidecar or flags. {@code imagenet}: torchvision's ImageNet evaluation transform (resize
 * the short side to 256, centre crop 224, i.e. the centred square of 224/256 of the short side, resized
 * to the input), ImageNet's mean and std, and its 1,000 class names for a model with 1,000 outputs.
 *
 * @param cropFraction the centred square's side as a fraction of the picture's short side
 * @param normalization the convention's normalization, or null
 * @param classNames    the convention's class names, or null
 */
public record Preprocessing(String name, double cropFraction, Normalization normalization, List<String> classNames)
        implements java.io.Serializable {
    public static final Preprocessing NONE = new Preprocessing("none", 1.0, null, null);
    public static final Preprocessing IMAGENET = new Preprocessing("imagenet", 224.0 / 256.0,
            new Normalization(new double[]{0.485, 0.456, 0.406}, new double[]{0.229, 0.224, 0.225}), imagenetClasses());

    public static Preprocessing parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "imagenet" -> IMAGENET;
            default -> throw new IllegalArgumentException("--preprocess must be none or imagenet, got '" + value + "'");
        };
    }

    /** torchvision's ImageNet category names, in the order of its models' outputs. */
    private static List<String> imagenetClasses() {
        try (InputStream in = Preprocessing.class.getResourceAsStream("imagenet-classes.txt")) {
            if (in == null) {
                throw new IllegalStateException("the resource imagenet-classes.txt is missing from the build");
            }
            List<String> names = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (names.size() != 1000) {
                throw new IllegalStateException("imagenet-classes.txt holds " + names.size() + " names, not 1,000");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
