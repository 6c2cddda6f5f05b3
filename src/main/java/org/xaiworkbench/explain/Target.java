package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.WithLogits;

import java.util.Arrays;

/**
 * Which class each image is explained for: the predicted class (default), one fixed class, one class
 * per image, or the top-k classes (k rows of output per image, best first).
 */
public final class Target {
    private enum Kind { PREDICTED, FIXED, PER_IMAGE, TOP_K }

    private final Kind kind;
    private final int fixedClass;
    private final int[] perImage;
    private final int k;

    private Target(Kind kind, int fixedClass, int[] perImage, int k) {
        this.kind = kind;
        this.fixedClass = fixedClass;
        this.perImage = perImage;
        this.k = k;
    }

    public static Target predicted() {
        return new Target(Kind.PREDICTED, -1, null, 1);
    }

    public static Target fixed(int classIndex) {
        return new Target(Kind.FIXED, classIndex, null, 1);
    }

    public static Target perImage(int... classes) {
        return new Target(Kind.PER_IMAGE, -1, classes.clone(), 1);
    }

    public static Target topK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("top-k must be > 0, got " + k);
        }
        return new Target(Kind.TOP_K, -1, null, k);
    }

    public boolean isPredicted() {
        return kind == Kind.PREDICTED;
    }

    /** Rows of output per input image. */
    public int rowsPerImage() {
        return k;
    }

    /** The class of each of n images when it does not depend on the logits (a fixed or per-image target); null otherwise. */
    public int[] knownClasses(int n, int numClasses) {
        return switch (kind) {
            case FIXED -> {
                int[] classes = new int[n];
                Arrays.fill(classes, checked(fixedClass, numClasses));
                yield classes;
            }
            case PER_IMAGE -> {
                if (perImage.length != n) {
                    throw new IllegalArgumentException("targets: " + perImage.length + " classes given for " + n + " images");
                }
                for (int c : perImage) {
                    checked(c, numClasses);
                }
                yield perImage.clone();
            }
            case PREDICTED, TOP_K -> null;
        };
    }

    /**
     * The class of every output row, rows ordered image by image (row i*k+j is image i, j-th target).
     *
     * @param logits [N,K] logits of the inputs, used for predicted and top-k targets
     */
    public int[] resolve(INDArray logits) {
        int n = (int) logits.size(0);
        int numClasses = (int) logits.size(1);
        if (kind == Kind.PREDICTED) {
            return WithLogits.argMax(logits);
        }
        int[] classes = new int[n * k];
        for (int i = 0; i < n; i++) {
            switch (kind) {
                case FIXED -> classes[i] = checked(fixedClass, numClasses);
                case PER_IMAGE -> {
                    if (perImage.length != n) {
                        throw new IllegalArgumentException("targets: " + perImage.length + " classes given for " + n + " images");
                    }
                    classes[i] = checked(perImage[i], numClasses);
                }
                case TOP_K -> {
                    if (k > numClasses) {
                        throw new IllegalArgumentException("top-k must be <= " + numClasses + ", got " + k);
                    }
                    double[] row = logits.getRow(i).toDoubleVector();
                    Integer[] order = new Integer[numClasses];
                    Arrays.setAll(order, c -> c);
                    Arrays.sort(order, (a, b) -> Double.compare(row[b], row[a]));
                    for (int j = 0; j < k; j++) {
                        classes[i * k + j] = order[j];
                    }
                }
            }
        }
        return classes;
    }

    private static int checked(int c, int numClasses) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("target class must be in 0.." + (numClasses - 1) + ", got " + c);
        }
        return c;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PREDICTED -> "predicted";
            case FIXED -> "class " + fixedClass;
            case PER_IMAGE -> "per-image " + Arrays.toString(perImage);
            case TOP_K -> "top-" + k;
        };
    }
}
