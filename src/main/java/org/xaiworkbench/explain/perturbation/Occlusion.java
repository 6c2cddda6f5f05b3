package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.GaussianBlur;
import org.xaiworkbench.explain.MemoryBudget;
import org.xaiworkbench.explain.MemoryNeed;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.Score;

/**
 * Occlusion (Zeiler and Fergus 2014), as Captum's {@code Occlusion}: a window slides over the image
 * with the given stride and is replaced, in all channels at once, by the baseline; the window's
 * attribution is score(x) - score(x with the window occluded), added to each pixel it covers, and
 * each pixel ends with the mean over the windows covering it. Window start positions per axis are
 * k*stride for k = 0..ceil((L - window) / stride), the last window clipped at the border, so every
 * pixel is covered (8x8 windows at stride 4 on 32x32: 7x7 = 49 windows). Because all channels are
 * occluded together, the map has the same value in every channel. Forward passes only.
 */
public final class Occlusion extends AbstractAttribution<Occlusion.Options> {
    public static final String ID = "occlusion";
    private static final int CIFAR_SIDE = 32;

    /**
     * @param baseline  what a window is filled with: ZERO (black, Captum's default) or BLUR (the same
     *                  pixels of a blurred copy, the seeds' preferred choice)
     * @param blurSigma Gaussian sigma in pixels of the blurred baseline, renormalised at the border
     *                  ({@link GaussianBlur#renormalized}); ignored for ZERO
     * @param score     the attributed output; LOGIT by default, as Captum attributes a model without softmax
     */
    public record Options(int windowH, int windowW, int strideH, int strideW, Baseline.Kind baseline, double blurSigma,
                          int batchSize, Score score) implements MethodOptions {
        public Options {
            OptionChecks.between("windowH", windowH, 1, OptionChecks.MAX_WINDOW);
            OptionChecks.between("windowW", windowW, 1, OptionChecks.MAX_WINDOW);
            OptionChecks.between("strideH", strideH, 1, OptionChecks.MAX_WINDOW);
            OptionChecks.between("strideW", strideW, 1, OptionChecks.MAX_WINDOW);
            OptionChecks.between("batchSize", batchSize, 1, OptionChecks.MAX_BATCH);
            OptionChecks.oneOf("baseline", baseline, Baseline.Kind.ZERO, Baseline.Kind.BLUR);
            if (baseline == Baseline.Kind.BLUR) {
                OptionChecks.positiveAtMost("blurSigma", blurSigma, 100);
            }
            OptionChecks.score(score);
        }

        /**
         * Windows of a quarter of each side at a stride of an eighth over a blurred (sigma 2 px) copy: the
         * seeds' preferred setting scaled to 32x32 is 8x8 at stride 4, and the same 7x7 window positions
         * on a 224x224 input are 56x56 at stride 28 (at stride 4 there, 3,025 positions would each cost a
         * forward pass).
         */
        public static Options defaults(int height, int width) {
            return new Options(scaledToSide(8, height), scaledToSide(8, width), scaledToSide(4, height), scaledToSide(4, width),
                    Baseline.Kind.BLUR, 2.0, 64, Score.LOGIT);
        }

        /** {@link #defaults(int, int)} for the classifier's input, CIFAR-10's 32x32 for a classifier that does not state it. */
        public static Options defaults(Classifier classifier) {
            int[] shape = classifier instanceof ImageClassifier image ? image.inputShape() : new int[]{3, CIFAR_SIDE, CIFAR_SIDE};
            return defaults(shape[1], shape[2]);
        }

        @Override
        public MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
            return footprint.batch("batchSize", batchSize, MemoryBudget.FLOAT_BYTES);
        }
    }

    /** A length in pixels on CIFAR-10's 32 px side, brought to a side of {@code side} px (at least 1). */
    public static int scaledToSide(int lengthOn32, int side) {
        return Math.max(1, Math.round(lengthOn32 * side / (float) CIFAR_SIDE));
    }

    public Occlusion(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    public Occlusion(Classifier classifier) {
        this(classifier, Options.defaults(classifier));
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int channels = (int) rows.size(1);
        int height = (int) rows.size(2);
        int width = (int) rows.size(3);
        if (options.windowH() > height || options.windowW() > width) {
            throw new IllegalArgumentException("occlusion window " + options.windowH() + "x" + options.windowW()
                    + " is larger than the image " + height + "x" + width);
        }
        int[] startsY = starts(height, options.windowH(), options.strideH());
        int[] startsX = starts(width, options.windowW(), options.strideW());
        int windows = startsY.length * startsX.length;
        int plane = height * width;
        double[] out = new double[n * channels * plane];
        BatchScorer scorer = new BatchScorer(classifier, score, options.batchSize());
        Baseline baseline = Baseline.filling(options.baseline(), options.blurSigma());
        for (int i = 0; i < n; i++) {
            float[] image = rows.get(NDArrayIndex.point(i)).ravel().toFloatVector();
            float[] baselineImage = baseline.of(image, channels, height, width, null, null);
            // perturbation 0 is the unoccluded image, scored in the same batches as the others
            double[] scores = scorer.scores(windows + 1, channels, height, width, classes[i], (index, buffer, offset) -> {
                System.arraycopy(image, 0, buffer, offset, image.length);
                if (index > 0) {
                    int w = index - 1;
                    fillWindow(buffer, offset, baselineImage, startsY[w / startsX.length], startsX[w % startsX.length],
                            channels, height, width);
                }
            });
            double[] sum = new double[plane];
            int[] covered = new int[plane];
            for (int w = 0; w < windows; w++) {
                double drop = scores[0] - scores[w + 1];
                int y0 = startsY[w / startsX.length];
                int x0 = startsX[w % startsX.length];
                for (int y = y0; y < Math.min(y0 + options.windowH(), height); y++) {
                    for (int x = x0; x < Math.min(x0 + options.windowW(), width); x++) {
                        sum[y * width + x] += drop;
                        covered[y * width + x]++;
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    out[(i * channels + c) * plane + p] = sum[p] / covered[p];
                }
            }
        }
        return Nd4j.create(out, rows.shape(), 'c').castTo(rows.dataType());
    }

    /** Window origins along one axis, as Captum counts them: 1 + ceil((length - window) / stride). */
    static int[] starts(int length, int window, int stride) {
        int count = 1 + (length - window + stride - 1) / stride;
        int[] starts = new int[count];
        for (int k = 0; k < count; k++) {
            starts[k] = k * stride;
        }
        return starts;
    }

    private void fillWindow(float[] buffer, int offset, float[] baselineImage, int y0, int x0, int channels, int height, int width) {
        int y1 = Math.min(y0 + options.windowH(), height);
        int x1 = Math.min(x0 + options.windowW(), width);
        for (int c = 0; c < channels; c++) {
            for (int y = y0; y < y1; y++) {
                int from = (c * height + y) * width + x0;
                System.arraycopy(baselineImage, from, buffer, offset + from, x1 - x0);
            }
        }
    }

}
