package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * y = x * scale[c] + shift[c] per channel: batch normalisation in inference, or any per-channel
 * affine map. Linear, so DeepLIFT's multiplier is its gradient.
 */
public record Affine(INDArray scale, INDArray shift) implements LayerOp {
    public Affine {
        if (scale == null || shift == null || scale.length() != shift.length()) {
            throw new IllegalArgumentException("affine scale and shift must have one value per channel each");
        }
    }

    /**
     * Batch normalisation with running statistics: gamma (x - mean) / sqrt(var + eps) + beta, computed
     * in double, so that a double-precision classifier holds the exact map (a float one rounds it once).
     */
    public static Affine batchNorm(INDArray gamma, INDArray beta, INDArray mean, INDArray variance, double epsilon) {
        INDArray scale = gamma.castTo(DataType.DOUBLE).div(Transforms.sqrt(variance.castTo(DataType.DOUBLE).add(epsilon), false));
        return new Affine(scale, beta.castTo(DataType.DOUBLE).sub(mean.castTo(DataType.DOUBLE).mul(scale)));
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public long parameterCount() {
        return scale.length() + shift.length();
    }

    @Override
    public String describe() {
        return "affine (batch norm)";
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (x[0] != scale.length()) {
            throw new IllegalArgumentException(node + ": affine has " + scale.length() + " channels, gets " + x[0]);
        }
        return x;
    }

    /** Per channel, the first axis after the batch: an image's channels are its last axis channels-last. */
    @Override
    public Layout layout(long[] outputShape) {
        return outputShape.length == 3 ? Layout.IMAGE : Layout.ELEMENT_WISE;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.input(0).mul(scale(c)).add(c.constant(c.name() + "#shift", (op, w) -> w.vector(c.name() + "#shift", ((Affine) op).shift())));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(g.mul(scale(c)));
    }

    private SDVariable scale(OpContext c) {
        return c.constant(c.name() + "#scale", (op, w) -> w.vector(c.name() + "#scale", ((Affine) op).scale()));
    }

    /** Relevance passes through unchanged (Zennit's Pass rule for activations and batch norms). */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return List.of(r);
    }
}
