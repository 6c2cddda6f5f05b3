package org.xaiworkbench.explain.perturbation;

import boofcv.abst.segmentation.ImageSuperpixels;
import boofcv.factory.segmentation.ConfigSlic;
import boofcv.factory.segmentation.FactoryImageSegmentation;
import boofcv.struct.ConnectRule;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayS32;
import boofcv.struct.image.ImageType;
import boofcv.struct.image.Planar;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SLIC superpixels (BoofCV). lime_image's default quickshift yields only 1-2 segments on 32x32
 * images, so this is the default segmentation here. {@link Options#defaults()} (30 requested regions,
 * compactness 200, 10 iterations) gave 18-32 segments, mean 24, on the first 200 CIFAR-10 test
 * images; BoofCV merges regions smaller than half the mean size, so results stay below the request. Colours are fed on a 0-255 scale, the scale
 * BoofCV's spatial weight is calibrated for.
 */
public final class SlicSegmentation implements Segmentation {
    /**
     * @param regions     requested number of superpixels (BoofCV merges small ones, so the result can be lower)
     * @param compactness SLIC's m: higher gives squarer, more grid-like segments; lower follows colour edges
     * @param iterations  k-means iterations
     */
    public record Options(int regions, float compactness, int iterations) {
        public Options {
            if (regions <= 1) {
                throw new IllegalArgumentException("slic regions must be > 1, got " + regions);
            }
            if (!(compactness > 0) || Float.isInfinite(compactness)) {
                throw new IllegalArgumentException("slic compactness must be > 0 and finite, got " + compactness);
            }
            if (iterations <= 0) {
                throw new IllegalArgumentException("slic iterations must be > 0, got " + iterations);
            }
        }

        public static Options defaults() {
            return new Options(30, 200f, 10);
        }
    }

    private final Options options;

    public SlicSegmentation(Options options) {
        if (options == null) {
            throw new IllegalArgumentException("slic options must not be null");
        }
        this.options = options;
    }

    public SlicSegmentation() {
        this(Options.defaults());
    }

    @Override
    public Superpixels segment(INDArray image) {
        long[] shape = Segmentation.imageShape(image);
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        float[] pixels = image.reshape(channels, height, width).ravel().toFloatVector();
        Planar<GrayF32> planar = new Planar<>(GrayF32.class, width, height, channels);
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            GrayF32 band = planar.getBand(c);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    band.set(x, y, 255f * pixels[c * plane + y * width + x]);
                }
            }
        }
        ConfigSlic config = new ConfigSlic(options.regions(), options.compactness());
        config.totalIterations = options.iterations();
        config.connectRule = ConnectRule.EIGHT;
        ImageSuperpixels<Planar<GrayF32>> slic = FactoryImageSegmentation.slic(config, ImageType.pl(channels, GrayF32.class));
        GrayS32 output = new GrayS32(width, height);
        slic.segment(planar, output);
        int[] raw = new int[plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raw[y * width + x] = output.get(x, y);
            }
        }
        return Superpixels.compact(height, width, raw);
    }

    public Options options() {
        return options;
    }

    @Override
    public String describe() {
        return "slic(regions=" + options.regions() + ", compactness=" + options.compactness() + ", iterations="
                + options.iterations() + ")";
    }

    /** What a run's provenance shows. */
    @Override
    public String toString() {
        return describe();
    }
}
