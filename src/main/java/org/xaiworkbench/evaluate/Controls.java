package org.xaiworkbench.evaluate;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Maps that any useful method must beat, because they know nothing of the model: a random map seeded
 * by the image itself (the same in any batch), the image's Sobel edges and a centred Gaussian blob.
 * All are [N,1,H,W] magnitudes.
 */
public final class Controls {
    public static final String RANDOM = "control-random";
    public static final String EDGES = "control-edges";
    public static final String CENTRE = "control-centre";

    private Controls() {
    }

    public static Map<String, Function<Classifier, Attribution>> all() {
        Map<String, Function<Classifier, Attribution>> controls = new LinkedHashMap<>();
        controls.put(RANDOM, model -> new Control(model, RANDOM, (image, shape) -> random(image, shape)));
        controls.put(EDGES, model -> new Control(model, EDGES, Controls::edges));
        controls.put(CENTRE, model -> new Control(model, CENTRE, (image, shape) -> centre(shape[1], shape[2])));
        return controls;
    }

    @FunctionalInterface
    interface PixelMap {
        /** The [H*W] map of one image [C*H*W]; shape is {C,H,W}. */
        double[] of(double[] image, int[] shape);
    }

    /** A control has nothing to set; it reads no score, so the one it names is nominal. */
    public record Settings() implements MethodOptions {
        @Override
        public Score score() {
            return Score.LOGIT;
        }
    }

    private static final class Control extends AbstractAttribution<Settings> {
        private final PixelMap map;

        Control(Classifier classifier, String id, PixelMap map) {
            super(id, classifier, new Settings());
            this.map = map;
        }

        @Override
        public boolean signed() {
            return false;
        }

        @Override
        protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
            int n = (int) rows.size(0);
            int[] shape = {(int) rows.size(1), (int) rows.size(2), (int) rows.size(3)};
            double[] pixels = HostValues.of(rows);
            int size = shape[0] * shape[1] * shape[2];
            int plane = shape[1] * shape[2];
            double[] out = new double[n * plane];
            for (int i = 0; i < n; i++) {
                double[] image = Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
                System.arraycopy(map.of(image, shape), 0, out, i * plane, plane);
            }
            return HostValues.array(out, new long[]{n, 1, shape[1], shape[2]}, rows.dataType() == DataType.DOUBLE
                    ? DataType.DOUBLE : DataType.FLOAT);
        }
    }

    static double[] random(double[] image, int[] shape) {
        return new SplittableRandom(Arrays.hashCode(image)).doubles((long) shape[1] * shape[2]).toArray();
    }

    /** Sobel gradient magnitude of the channel mean, borders replicated. */
    static double[] edges(double[] image, int[] shape) {
        int channels = shape[0];
        int height = shape[1];
        int width = shape[2];
        double[] gray = new double[height * width];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < gray.length; p++) {
                gray[p] += image[c * gray.length + p] / channels;
            }
        }
        double[] out = new double[gray.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double gx = 0;
                double gy = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        double v = gray[clamp(y + dy, height) * width + clamp(x + dx, width)];
                        int weightX = dx * (dy == 0 ? 2 : 1);
                        int weightY = dy * (dx == 0 ? 2 : 1);
                        gx += weightX * v;
                        gy += weightY * v;
                    }
                }
                out[y * width + x] = Math.hypot(gx, gy);
            }
        }
        return out;
    }

    /** A Gaussian of sigma a quarter of the image's side, at its centre. */
    static double[] centre(int height, int width) {
        double sigma = Math.min(height, width) / 4.0;
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        double[] out = new double[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                out[y * width + x] = Math.exp(-d2 / (2 * sigma * sigma));
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(n - 1, i));
    }
}
