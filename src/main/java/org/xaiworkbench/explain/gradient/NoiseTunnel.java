package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Score;

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
public final class NoiseTunnel extends GradientAttribution<NoiseTunnel.Options> {
    public enum Variant { SMOOTHGRAD, SMOOTHGRAD_SQUARED, VARGRAD }

    /**
     * @param nSamples noisy copies per image (Captum's nt_samples; 25 here, the bench setting)
     * @param stdev    noise standard deviation in pixel units
     */
    public record Options(Variant variant, int nSamples, double stdev, int internalBatchSize, Score score, long seed)
            implements MethodOptions {
        public Options {
            OptionChecks.required("variant", variant, Variant.class);
            OptionChecks.between("nSamples", nSamples, 1, OptionChecks.MAX_STEPS);
            OptionChecks.between("stdev", stdev, 0, OptionChecks.MAX_STDEV);
            OptionChecks.between("internalBatchSize", internalBatchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.score(score);
        }

        public static Options defaults(Variant variant) {
            return new Options(variant, 25, 0.15, 64, Score.LOGIT, 0L);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("internalBatchSize", internalBatchSize, 2 * MemoryBudget.DOUBLE_BYTES);
        }
    }

    private final GradientAttribution<?> base;

    /** {@code base} must attribute the same score as the tunnel, which is what the tunnel reports. */
    public NoiseTunnel(String id, GradientAttribution<?> base, Options options) {
        super(id, base == null ? null : base.classifier(), options);
        if (base.score() != options.score()) {
            throw new IllegalArgumentException(id + ": the base method attributes " + base.score()
                    + ", the tunnel's options say " + options.score());
        }
        this.base = base;
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
    protected Map<String, Object> provenance() {
        Map<String, Object> out = new LinkedHashMap<>(super.provenance());
        out.put("base", base.id());
        for (Map.Entry<String, Object> e : base.rawProvenance().entrySet()) {
            out.put("base." + e.getKey(), e.getValue());
        }
        return out;
    }
}
