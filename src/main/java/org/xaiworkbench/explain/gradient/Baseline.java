package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.GaussianBlur;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference input of a path or difference method, in pixel space: black (all zeros, the default;
 * in pixel space "zero" is black, not the mean colour Captum's zero tensor is on normalized inputs),
 * a Gaussian-blurred copy of the image (mirrored borders, {@link GaussianBlur#reflected}), uniform
 * noise in [0,1] drawn from the row's random stream, or a given image.
 */
public record Baseline(Kind kind, double sigma, INDArray image) {
    public enum Kind { BLACK, BLUR, UNIFORM, IMAGE }

    public Baseline {
        if (kind == null) {
            throw new IllegalArgumentException("baseline must be one of " + Arrays.toString(Kind.values()) + ", got null");
        }
        if (kind == Kind.BLUR && (!(sigma > 0) || Double.isInfinite(sigma))) {
            throw new IllegalArgumentException("baseline blur sigma must be > 0 and finite, got " + sigma);
        }
        if (kind == Kind.IMAGE && (image == null || !(image.rank() == 4 && image.size(0) == 1 || image.rank() == 3))) {
            throw new IllegalArgumentException("baseline image must be [1,C,H,W] or [C,H,W], got "
                    + (image == null ? "null" : Arrays.toString(image.shape())));
        }
    }

    public static Baseline black() {
        return new Baseline(Kind.BLACK, 0, null);
    }

    public static Baseline blur(double sigma) {
        return new Baseline(Kind.BLUR, sigma, null);
    }

    public static Baseline uniform() {
        return new Baseline(Kind.UNIFORM, 0, null);
    }

    public static Baseline image(INDArray image) {
        return new Baseline(Kind.IMAGE, 0, image);
    }

    /**
     * The baseline of each image of a batch shaped like {@code like}, image i's drawn from
     * {@code random.row(i)}, so that drawing again for the same rows gives the same baselines.
     */
    double[][] ofRows(double[][] images, INDArray like, AbstractAttribution.RowRandom random) {
        double[][] baselines = new double[images.length][];
        for (int i = 0; i < images.length; i++) {
            baselines[i] = of(images[i], (int) like.size(1), (int) like.size(2), (int) like.size(3), random.row(i));
        }
        return baselines;
    }

    /** The baseline of one image given as [C,H,W] flattened in c order. */
    public double[] of(double[] image, int channels, int height, int width, SplittableRandom random) {
        return switch (kind) {
            case BLACK -> new double[image.length];
            case BLUR -> GaussianBlur.reflected(sigma).apply(image, channels, height, width);
            case UNIFORM -> random.doubles(image.length).toArray();
            case IMAGE -> {
                if (this.image.length() != image.length) {
                    throw new IllegalArgumentException("baseline image has shape " + Arrays.toString(this.image.shape())
                            + ", the input images are " + channels + "x" + height + "x" + width);
                }
                yield this.image.ravel().toDoubleVector();
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BLACK -> "black";
            case BLUR -> "blur(sigma=" + sigma + ")";
            case UNIFORM -> "uniform";
            case IMAGE -> "image";
        };
    }
}
