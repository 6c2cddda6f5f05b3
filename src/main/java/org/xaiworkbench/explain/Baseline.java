package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What stands in for the removed part of an image, in pixel space, for every method that removes
 * something: the reference of Integrated Gradients and DeepLIFT, what an occlusion window is filled
 * with, and the colour of LIME's and KernelSHAP's hidden superpixels. "Zero" is black, 0 in pixel
 * space, not the mean colour Captum's zero tensor is on normalized inputs.
 *
 * <p>The gradient methods hold a whole baseline, which can be an image and so is not offered by
 * {@code --set}. Occlusion, LIME and KernelSHAP hold only its {@link Kind}, an enum the command line
 * can set, plus their own parameters (occlusion's blur sigma); each takes the kinds it can fill.
 */
public record Baseline(Kind kind, GaussianBlur blur, INDArray image) {
    /** Spelled in lower case on the command line and in explained.json. */
    public enum Kind {
        /** Black: Captum's default baseline, lime_image's hide_color=0. */
        ZERO,
        /** The same pixels of a Gaussian-blurred copy of the image. */
        BLUR,
        /**
         * Each region's own mean colour, per channel: a method's superpixels (lime_image's default,
         * hide_color=None), or the whole image for a method that does not segment it.
         */
        MEAN,
        /** Uniform noise in [0,1], drawn from the row's random stream. */
        UNIFORM,
        /** A given image. */
        IMAGE
    }

    public Baseline {
        if (kind == null) {
            throw new IllegalArgumentException("baseline must be one of " + Arrays.toString(Kind.values()) + ", got null");
        }
        if (kind == Kind.BLUR && blur == null) {
            throw new IllegalArgumentException("a blur baseline needs a GaussianBlur, got null");
        }
        if (kind == Kind.IMAGE && (image == null || !(image.rank() == 4 && image.size(0) == 1 || image.rank() == 3))) {
            throw new IllegalArgumentException("baseline image must be [1,C,H,W] or [C,H,W], got "
                    + (image == null ? "null" : Arrays.toString(image.shape())));
        }
    }

    public static Baseline black() {
        return new Baseline(Kind.ZERO, null, null);
    }

    /** Blurred with mirrored borders, {@link GaussianBlur#reflected}. */
    public static Baseline blur(double sigma) {
        return blur(GaussianBlur.reflected(sigma));
    }

    public static Baseline blur(GaussianBlur blur) {
        return new Baseline(Kind.BLUR, blur, null);
    }

    public static Baseline mean() {
        return new Baseline(Kind.MEAN, null, null);
    }

    public static Baseline uniform() {
        return new Baseline(Kind.UNIFORM, null, null);
    }

    public static Baseline image(INDArray image) {
        return new Baseline(Kind.IMAGE, null, image);
    }

    /**
     * What a perturbation method fills the removed part of a picture with, given the kind the command line
     * chose: a blur of {@code blurSigma} pixels renormalised at the border (the rule occlusion has always
     * blurred with), or a kind without parameters. {@code blurSigma} is read only for BLUR.
     */
    public static Baseline filling(Kind kind, double blurSigma) {
        return kind == Kind.BLUR ? blur(GaussianBlur.renormalized(blurSigma)) : ofKind(kind);
    }

    /** The baseline of a kind that takes no parameter: zero, mean or uniform. */
    public static Baseline ofKind(Kind kind) {
        return switch (kind) {
            case ZERO -> black();
            case MEAN -> mean();
            case UNIFORM -> uniform();
            case BLUR, IMAGE -> throw new IllegalArgumentException("a " + Provenance.optionName(kind)
                    + " baseline needs its " + (kind == Kind.BLUR ? "blur" : "image") + ", got only the kind");
        };
    }

    /** The baseline of one image given as [C,H,W] flattened in c order; MEAN takes the whole image as one region. */
    public double[] of(double[] image, int channels, int height, int width, SplittableRandom random) {
        return of(image, channels, height, width, random, null);
    }

    /**
     * As {@link #of(double[], int, int, int, SplittableRandom)}, with MEAN taken over the given regions:
     * {@code regions[y * width + x]} labels pixel (y, x) with 0..R-1, every label used (superpixels).
     */
    public double[] of(double[] image, int channels, int height, int width, SplittableRandom random, int[] regions) {
        if (image.length != channels * height * width) {
            throw new IllegalArgumentException("image has " + image.length + " values, expected " + channels + "x" + height
                    + "x" + width);
        }
        return switch (kind) {
            case ZERO -> new double[image.length];
            case BLUR -> blur.apply(image, channels, height, width);
            case MEAN -> regionMeans(image, channels, height * width, regions == null ? new int[height * width] : regions);
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

    /** As {@link #of(double[], int, int, int, SplittableRandom, int[])} for an image held in float; computed in double. */
    public float[] of(float[] image, int channels, int height, int width, SplittableRandom random, int[] regions) {
        double[] pixels = new double[image.length];
        for (int p = 0; p < image.length; p++) {
            pixels[p] = image[p];
        }
        double[] filled = of(pixels, channels, height, width, random, regions);
        float[] out = new float[filled.length];
        for (int p = 0; p < filled.length; p++) {
            out[p] = (float) filled[p];
        }
        return out;
    }

    private static double[] regionMeans(double[] image, int channels, int plane, int[] regions) {
        if (regions.length != plane) {
            throw new IllegalArgumentException("regions must label all " + plane + " pixels, got " + regions.length);
        }
        int[] sizes = new int[Arrays.stream(regions).max().orElse(-1) + 1];
        for (int region : regions) {
            sizes[region]++;
        }
        double[] out = new double[image.length];
        double[] sum = new double[sizes.length];
        for (int c = 0; c < channels; c++) {
            Arrays.fill(sum, 0);
            for (int p = 0; p < plane; p++) {
                sum[regions[p]] += image[c * plane + p];
            }
            for (int p = 0; p < plane; p++) {
                out[c * plane + p] = sum[regions[p]] / sizes[regions[p]];
            }
        }
        return out;
    }

    /**
     * As the gradient methods' provenance records it: their zero baseline has always been written
     * "black", and a blur shows its radius and border only when they are not the mirrored default.
     */
    @Override
    public String toString() {
        return switch (kind) {
            case ZERO -> "black";
            case BLUR -> blur.equals(GaussianBlur.reflected(blur.sigma())) ? "blur(sigma=" + blur.sigma() + ")"
                    : "blur(sigma=" + blur.sigma() + ", radius=" + blur.radius() + ", border="
                    + Provenance.optionName(blur.border()) + ")";
            case MEAN -> "mean";
            case UNIFORM -> "uniform";
            case IMAGE -> "image";
        };
    }
}
