package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Captum's {@code NoiseTunnel} around any gradient method: the method is run on nSamples copies of
 * each image with Gaussian noise N(0, stdev^2) added in pixel units (inputs are [0,1], so stdev 0.15
 * is the SmoothGrad paper's 15% of the input range; the noisy copies are not clipped, as in Captum),
 * and the results are combined as their mean (SmoothGrad), mean of squares (SmoothGrad^2) or
 * variance (VarGrad). Noisy copies of all images go through the base method together, at most
 * {@code internalBatchSize} rows at a time. Noise for image i comes from its own random stream; a base
 * method that draws randomness itself (a uniform IG baseline) sees one stream per position in the batch.
 */
public final class NoiseTunnel extends GradientAttribution {
    public enum Variant { SMOOTHGRAD, SMOOTHGRAD_SQUARED, VARGRAD }

    /**
     * @param nSamples noisy copies per image (Captum's nt_samples; 25 here, the bench setting)
     * @param stdev    noise standard deviation in pixel units
     */
    public record Options(Variant variant, int nSamples, double stdev, int internalBatchSize, long seed) {
        public Options {
            if (variant == null) {
                throw new IllegalArgumentException("variant must be one of SMOOTHGRAD, SMOOTHGRAD_SQUARED, VARGRAD, got null");
            }
            Rows.positive("nSamples", nSamples);
            Rows.nonNegativeFinite("stdev", stdev);
            Rows.positive("internalBatchSize", internalBatchSize);
        }

        public static Options defaults(Variant variant) {
            return new Options(variant, 25, 0.15, 64, 0L);
        }
    }

    private final GradientAttribution base;
    private final Options options;
    private final String id;

    public NoiseTunnel(String id, GradientAttribution base, Options options) {
        super(base == null ? null : base.classifier(), base == null ? null : base.score(), options == null ? 0L : options.seed());
        if (options == null) {
            throw new IllegalArgumentException("noise-tunnel options must not be null");
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("noise-tunnel id must not be blank");
        }
        this.base = base;
        this.options = options;
        this.id = id;
    }

    /** A registry factory: the variant around the base method with default options. */
    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean signed() {
        return options.variant() == Variant.SMOOTHGRAD && base.signed();
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int samples = options.nSamples();
        int size = Rows.imageSize(rows);
        double[][] images = Rows.images(rows);
        SplittableRandom[] noise = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            noise[i] = random.row(i);
        }
        double[] sum = new double[n * size];
        double[] sumOfSquares = new double[n * size];
        int total = n * samples;
        for (int start = 0; start < total; start += options.internalBatchSize()) {
            int count = Math.min(options.internalBatchSize(), total - start);
            double[] buffer = new double[count * size];
            int[] chunkClasses = new int[count];
            for (int j = 0; j < count; j++) {
                int i = (start + j) / samples;
                chunkClasses[j] = classes[i];
                for (int k = 0; k < size; k++) {
                    buffer[j * size + k] = images[i][k] + options.stdev() * noise[i].nextGaussian();
                }
            }
            double[] values = HostValues.of(base.rawAttributions(Rows.batch(buffer, count, rows), chunkClasses, random));
            for (int j = 0; j < count; j++) {
                int i = (start + j) / samples;
                for (int k = 0; k < size; k++) {
                    double v = values[j * size + k];
                    sum[i * size + k] += v;
                    sumOfSquares[i * size + k] += v * v;
                }
            }
        }
        double[] out = new double[n * size];
        for (int k = 0; k < out.length; k++) {
            double mean = sum[k] / samples;
            double meanOfSquares = sumOfSquares[k] / samples;
            out[k] = switch (options.variant()) {
                case SMOOTHGRAD -> mean;
                case SMOOTHGRAD_SQUARED -> meanOfSquares;
                case VARGRAD -> Math.max(meanOfSquares - mean * mean, 0);
            };
        }
        return Rows.batch(out, n, rows);
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("base", base.id());
        out.put("variant", options.variant().name());
        out.put("nSamples", options.nSamples());
        out.put("stdev", options.stdev());
        out.put("internalBatchSize", options.internalBatchSize());
        out.put("seed", options.seed());
        for (Map.Entry<String, Object> e : base.rawOptions().entrySet()) {
            out.put("base." + e.getKey(), e.getValue());
        }
        return out;
    }
}
