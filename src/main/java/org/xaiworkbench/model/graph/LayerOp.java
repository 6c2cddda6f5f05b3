package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What one node of a {@link LayerGraph} computes, in inference mode, with all the graph needs of it in
 * one place: how many inputs it reads, its output shape, the layout it runs in, and its forward and
 * backward passes written as SameDiff ops ({@link GradientGraph} strings them together). The backward
 * pass gives the gradient reaching each input or, when {@link OpContext#rescale()}, DeepLIFT's
 * multipliers; an op without a DeepLIFT rule refuses in one line naming the layer. Tensors are
 * described in PyTorch's and ONNX's layouts: images [N,C,H,W], convolution weights [out,in,kh,kw],
 * dense weights [out,in]; shapes leave out the batch axis.
 *
 * <p>Adding an operator is one record implementing this interface plus the importer line that makes it.
 */
public interface LayerOp {
    /**
     * Where an op computes: images channels-last (oneDNN's faster layout here), plain tensors in
     * PyTorch's layout, or, for element-wise ops, in the layout its output has.
     */
    enum Layout { IMAGE, PLAIN, ELEMENT_WISE }

    /** Number of inputs, or -1 for any number of at least two. */
    int arity();

    /** True for ops with learned weights that model randomization draws afresh. */
    default boolean hasParameters() {
        return false;
    }

    /** How many values its weights hold (a batch norm's scale and shift count as its two vectors). */
    default long parameterCount() {
        return 0;
    }

    /**
     * The op with its learned weights drawn afresh as PyTorch initialises them, U(-1/sqrt(fanIn),
     * 1/sqrt(fanIn)) for weight and bias, in that order from {@code random}; ops without parameters
     * return themselves.
     */
    default LayerOp reinitialized(SplittableRandom random) {
        return this;
    }

    /**
     * Values from U(-bound, bound) in the shape of {@code like}, drawn in double and kept in float when
     * {@code like} is float (the classifier computes in its weights' precision), in double otherwise.
     */
    static INDArray uniform(SplittableRandom random, INDArray like, double bound) {
        if (like == null) {
            return null;
        }
        int n = Math.toIntExact(like.length());
        if (like.dataType() == DataType.FLOAT) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) random.nextDouble(-bound, bound);
            }
            return Nd4j.create(values, like.shape(), 'c');
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble(-bound, bound);
        }
        return Nd4j.create(values, like.shape(), 'c');
    }

    /** A short name for listings, e.g. "conv 3x3/2", "relu", "max-pool 2x2". */
    default String describe() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /**
     * The output shape given the inputs' shapes (all without the batch axis); throws, naming
     * {@code node}, when they do not fit the op.
     */
    long[] outputShape(String node, List<long[]> in);

    /** The layout the op computes in, given its output shape. */
    default Layout layout(long[] outputShape) {
        return Layout.ELEMENT_WISE;
    }

    /** The output, from the inputs {@link OpContext#input} gives in this op's layout. */
    SDVariable forward(OpContext c);

    /** What reaches each input, given {@code g} at the output: gradients, or DeepLIFT's multipliers when {@link OpContext#rescale()}. */
    List<SDVariable> backward(OpContext c, SDVariable g);

    /**
     * The relevance each input receives under {@link OpContext#lrp()}'s rules, given relevance {@code r}
     * at the output; an op without a rule refuses in one line naming the layer.
     */
    default List<SDVariable> relevance(OpContext c, SDVariable r) {
        throw new IllegalArgumentException("layer " + c.name() + " (" + describe() + ") has no relevance propagation rule");
    }

    /** The key under which a layer's weights transformed as {@code variant} are kept ("" for the weights as they are). */
    static String variantKey(OpContext c, String variant) {
        return variant.isEmpty() ? c.name() : c.name() + "#lrp-" + variant;
    }
}
