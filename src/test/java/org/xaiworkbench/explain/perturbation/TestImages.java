package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/** Synthetic 32x32 pictures for segmentation and perturbation tests. */
final class TestImages {
    private TestImages() {
    }

    /** Uniform noise in [0,1], [n,3,size,size]. */
    static INDArray noise(int n, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n * 3 * size * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        return Nd4j.create(values, new long[]{n, 3, size, size}, 'c').castTo(DataType.FLOAT);
    }

    /**
     * A "real-looking" [1,3,32,32] scene: sky gradient over grass, a red disc (sun), a grey house with a
     * dark door, a little pixel noise.
     */
    static INDArray scene(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = 32;
        double[] values = new double[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double[] rgb;
                if ((x - 24) * (x - 24) + (y - 7) * (y - 7) <= 16) {
                    rgb = new double[]{0.95, 0.2, 0.1};
                } else if (x >= 5 && x < 17 && y >= 12 && y < 24) {
                    rgb = x >= 9 && x < 13 && y >= 17 ? new double[]{0.25, 0.15, 0.1} : new double[]{0.6, 0.6, 0.62};
                } else if (y < 20) {
                    rgb = new double[]{0.3 + 0.01 * y, 0.5 + 0.01 * y, 0.95};
                } else {
                    rgb = new double[]{0.15, 0.55 + 0.005 * x, 0.2};
                }
                for (int c = 0; c < 3; c++) {
                    double v = rgb[c] + 0.03 * (random.nextDouble() - 0.5);
                    values[(c * size + y) * size + x] = Math.min(1, Math.max(0, v));
                }
            }
        }
        return Nd4j.create(values, new long[]{1, 3, size, size}, 'c').castTo(DataType.FLOAT);
    }
}
