package org.xaiworkbench.evaluate.robustness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.EvaluationConfig;
import org.xaiworkbench.evaluate.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Max-sensitivity (Yeh et al. 2019) as Captum's {@code sensitivity_max}: the input moves by uniform
 * noise in [-r, r] per value (not clipped, as Captum), the method explains each noisy copy for the same
 * class, and the largest Frobenius distance to the original map, relative to that map's norm, is kept.
 * The noisy copies of an image are the same for every method.
 */
public final class MaxSensitivity extends AbstractMetric {
    public static final String ID = "max-sensitivity";

    /**
     * The settings of {@code --set max-sensitivity.KEY=VALUE}.
     *
     * @param radius  half-width of the uniform noise added to every input value
     * @param samples noisy copies per image
     */
    public record Options(double radius, int samples) {
        public Options {
            if (!(radius > 0) || samples <= 0) {
                throw new IllegalArgumentException("radius and samples must be > 0, got " + radius + ", " + samples);
            }
        }

        /** Captum's sensitivity_max defaults: radius 0.02 (pixel space), 10 noisy copies. */
        public static Options defaults() {
            return new Options(0.02, 10);
        }
    }

    private final Options options;

    public MaxSensitivity() {
        this(Options.defaults());
    }

    public MaxSensitivity(Options options) {
        super(ID, Direction.LOWER, "largest relative change of the map under small uniform input noise", options);
        this.options = options;
    }

    @Override
    public Subsample subsample() {
        return Subsample.SENSITIVITY;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        EvaluationConfig config = batch.config();
        int samples = options.samples();
        List<double[]> noisy = new ArrayList<>();
        int[] targets = new int[batch.size() * samples];
        for (int i = 0; i < batch.size(); i++) {
            Sample sample = batch.samples().get(i);
            SplittableRandom random = config.random("sensitivity", sample.index());
            for (int j = 0; j < samples; j++) {
                double[] copy = sample.pixels().clone();
                for (int k = 0; k < copy.length; k++) {
                    copy[k] += random.nextDouble(-options.radius(), options.radius());
                }
                noisy.add(copy);
                targets[i * samples + j] = sample.target();
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String id : batch.methodIds()) {
            double[][] maps = batch.methods().explain(id, batch.classifier(), noisy, batch.samples().get(0), targets);
            double[] values = new double[batch.size()];
            for (int i = 0; i < values.length; i++) {
                double[] original = batch.map(id, i);
                double norm = Math.sqrt(sumOfSquares(original, null));
                double worst = 0;
                for (int j = 0; j < samples; j++) {
                    worst = Math.max(worst, Math.sqrt(sumOfSquares(maps[i * samples + j], original)));
                }
                values[i] = worst / (norm == 0 ? 1 : norm);
            }
            out.put(id, values);
            batch.progress(1);
        }
        return out;
    }

    /** Sum of (a - b)^2, or of a^2 when b is null. */
    private static double sumOfSquares(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            double d = b == null ? a[k] : a[k] - b[k];
            sum += d * d;
        }
        return sum;
    }
}
