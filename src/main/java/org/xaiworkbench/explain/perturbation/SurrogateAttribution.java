package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.model.Classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The frame LIME and KernelSHAP share: split each image into superpixels, choose coalitions of kept
 * superpixels, score the image with each coalition shown and the rest hidden by the baseline (in
 * batches, forward passes only), fit a weighted linear surrogate of those scores, and paint each
 * superpixel's value over its pixels in every channel. A method states only its {@link Plan}: which
 * coalitions, and how their scores are fitted (the weights and the regularisation or constraint).
 */
abstract class SurrogateAttribution<O extends Record & SurrogateAttribution.Settings, E extends SurrogateAttribution.Surrogate>
        extends AbstractAttribution<O> {
    /** The options the frame reads, components of the method's options record. */
    interface Settings extends MethodOptions {
        Segmentation segmentation();

        /** What a hidden superpixel shows; a kind without parameters (zero or mean). */
        Baseline.Kind hideColor();

        /** Perturbed images per forward pass. */
        int batchSize();
    }

    /** A fitted surrogate of one image. */
    interface Surrogate {
        Superpixels superpixels();

        /** The value the map gives every pixel of each superpixel. */
        double[] perSuperpixel();
    }

    /**
     * One image's coalitions to score, true where a superpixel is kept, and the fit of their scores
     * (given in the same order) into the method's explanation.
     */
    record Plan<E>(boolean[][] coalitions, Function<double[], E> fit) {
    }

    protected SurrogateAttribution(String id, Classifier classifier, O options) {
        super(id, classifier, options);
    }

    /** The method's coalitions and fit for an image split into {@code superpixels}, drawing from {@code random}. */
    protected abstract Plan<E> plan(Superpixels superpixels, SplittableRandom random);

    /** Called with the explanations of the rows of each {@code attribute} call, in row order. */
    protected void explained(List<E> explanations) {
    }

    @Override
    public final boolean signed() {
        return true;
    }

    /**
     * Fits the surrogate of one image; figure code can use it directly, e.g. for the top-k superpixels.
     *
     * @param image [C,H,W] or [1,C,H,W] in pixel space
     */
    public final E explain(INDArray image, int targetClass, SplittableRandom random) {
        SuperpixelImage split = split(image);
        Plan<E> plan = plan(split.superpixels, random);
        return plan.fit().apply(split.scores(scorer(), targetClass, plan.coalitions()));
    }

    @Override
    protected final INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        int n = (int) rows.size(0);
        int imageSize = (int) (rows.length() / n);
        double[] out = new double[(int) rows.length()];
        List<E> explanations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            E explanation = explain(rows.get(NDArrayIndex.point(i)), classes[i], random.row(i));
            SuperpixelImage.spreadOver(explanation.superpixels(), (int) rows.size(1), explanation.perSuperpixel(), out,
                    i * imageSize);
            explanations.add(explanation);
        }
        explained(explanations);
        return Nd4j.create(out, rows.shape(), 'c').castTo(rows.dataType());
    }

    /** The image in superpixels, each hidden one showing the hide colour. */
    final SuperpixelImage split(INDArray image) {
        return SuperpixelImage.of(image, options.segmentation(), Baseline.ofKind(options.hideColor()));
    }

    final BatchScorer scorer() {
        return new BatchScorer(classifier, score, options.batchSize());
    }
}
