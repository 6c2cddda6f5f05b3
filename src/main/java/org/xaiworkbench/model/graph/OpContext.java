package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an op's {@link LayerOp#forward} and {@link LayerOp#backward} see of the graph being built: one
 * node, its inputs in the op's layout (a channels-last image is [N,H,W,C]), the shapes in PyTorch's
 * layout, and for DeepLIFT the reference pass.
 */
public interface OpContext {
    /** Below this |z - z0| a rescale multiplier falls back to the gradient (the difference is ~0 anyway). */
    double RESCALE_EPS = 1e-7;

    SameDiff sd();

    DataType dataType();

    /** The node's name, the prefix of its constants' keys. */
    String name();

    /** True when the op runs on channels-last images. */
    boolean imageLayout();

    int inputCount();

    /** Input k's shape without the batch axis, in PyTorch's layout. */
    long[] inputShape(int k);

    /** The node's output shape without the batch axis, in PyTorch's layout. */
    long[] outputShape();

    /** Input k of the forward pass, in this op's layout. */
    SDVariable input(int k);

    /** The node's output in the forward pass (for backward rules). */
    SDVariable output();

    /** True when the backward pass carries DeepLIFT's rescale multipliers instead of gradients. */
    boolean rescale();

    /** The relevance propagation rules when the backward pass carries relevance ({@link LayerOp#relevance}), else null. */
    LrpComposite lrp();

    /** True for the graph's first convolution, which LRP composites give a rule of its own. */
    boolean firstConvolution();

    /** True when the node reads the graph's input (after normalization). */
    boolean readsInput();

    /** The lowest and highest values the graph's input takes per channel, shaped to broadcast over this op's input. */
    INDArray[] inputBounds();

    /** What ReLUs pass back; other activations keep their gradient. */
    ReluRule reluRule();

    /** Input k of the reference (baseline) pass, in this op's layout; only when {@link #rescale()}. */
    SDVariable referenceInput(int k);

    /** The node's output in the reference pass; only when {@link #rescale()}. */
    SDVariable referenceOutput();

    /** True when the graph is built for calls of one row (a dense layer then reads its weight untransposed). */
    boolean singleRow();

    /** The weights in the layouts SameDiff's ops read, shared by every graph of one classifier. */
    WeightLayouts weights();

    /** A constant made once per graph under {@code key}, by {@code recipe} from this node's op. */
    SDVariable constant(String key, ConstantRecipe recipe);

    /**
     * How a constant follows from its node's op and the weight layouts. The graph keeps the recipe, so
     * that a stage of model randomization that redraws the op's weights makes the constant again instead
     * of building a new graph: a recipe reads weights from {@code op} only, never from the op that wrote it.
     */
    @FunctionalInterface
    interface ConstantRecipe {
        INDArray make(LayerOp op, WeightLayouts weights);
    }

    /** A gradient at the (broadcast) output summed back to input k's shape, in this op's layout. */
    SDVariable reduceToInput(SDVariable g, int k);
}
