package org.xaiworkbench.attack;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * logits = W·flatten(x) + b with gradients in closed form: ∇ logit_c = W_c, ∇ log p_c = W_c − Σ_k p_k W_k,
 * ∇ p_c = p_c ∇ log p_c. Computed in double in plain Java, independent of the code under test.
 */
public final class LinearClassifier implements Classifier {
    private final double[][] weights;
    private final double[] bias;
    private final long[] imageShape;

    public LinearClassifier(double[][] weights, double[] bias, long... imageShape) {
        this.weights = weights;
        this.bias = bias;
        this.imageShape = imageShape;
    }

    /** Random weights N(0, scale²) for K classes over images of the given [C,H,W] shape. */
    public static LinearClassifier random(int numClasses, double scale, long seed, long... imageShape) {
        int d = (int) (imageShape[0] * imageShape[1] * imageShape[2]);
        Random random = new Random(seed);
        double[][] w = new double[numClasses][d];
        double[] b = new double[numClasses];
        for (int k = 0; k < numClasses; k++) {
            for (int j = 0; j < d; j++) {
                w[k][j] = scale * random.nextGaussian();
            }
            b[k] = 0.1 * random.nextGaussian();
        }
        return new LinearClassifier(w, b, imageShape);
    }

    @Override
    public int numClasses() {
        return bias.length;
    }

    @Override
    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < numClasses(); k++) {
            names.add("class" + k);
        }
        return names;
    }

    @Override
    public List<String> layerNames() {
        return List.of();
    }

    @Override
    public INDArray logits(INDArray x) {
        double[][] rows = rows(x);
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = logits(rows[i]);
        }
        return matrix(out, out.length, numClasses());
    }

    public double[] logits(double[] row) {
        double[] z = bias.clone();
        for (int k = 0; k < z.length; k++) {
            for (int j = 0; j < row.length; j++) {
                z[k] += weights[k][j] * row[j];
            }
        }
        return z;
    }

    public double[] probabilities(double[] row) {
        double[] z = logits(row);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < z.length; k++) {
            z[k] /= sum;
        }
        return z;
    }

    /** ∇ log p_c at one flattened image. */
    public double[] logProbabilityGradient(double[] row, int c) {
        double[] p = probabilities(row);
        double[] g = weights[c].clone();
        for (int k = 0; k < p.length; k++) {
            for (int j = 0; j < g.length; j++) {
                g[j] -= p[k] * weights[k][j];
            }
        }
        return g;
    }

    @Override
    public INDArray scoreGradient(INDArray x, int[] classes, Score score) {
        double[][] rows = rows(x);
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = switch (score) {
                case LOGIT -> weights[classes[i]].clone();
                case LOG_PROBABILITY -> logProbabilityGradient(rows[i], classes[i]);
                case PROBABILITY -> {
                    double p = probabilities(rows[i])[classes[i]];
                    double[] g = logProbabilityGradient(rows[i], classes[i]);
                    for (int j = 0; j < g.length; j++) {
                        g[j] *= p;
                    }
                    yield g;
                }
            };
        }
        return matrix(out, x.shape());
    }

    @Override
    public LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
        throw new UnsupportedOperationException("a linear model has no layers");
    }

    private static INDArray matrix(double[][] rows, long... shape) {
        int d = rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) rows[i][j];
            }
        }
        return Nd4j.create(flat, shape, 'c');
    }

    /** Flattened images as double rows. */
    public static double[][] rows(INDArray x) {
        double[] all = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int n = (int) x.size(0);
        int d = all.length / n;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(all, i * d, (i + 1) * d);
        }
        return rows;
    }
}
