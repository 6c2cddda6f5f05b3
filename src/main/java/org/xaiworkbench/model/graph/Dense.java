package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/** A fully connected layer on the last axis, [N,...,in] to [N,...,out]: weight [out,in], bias [out] or null. Linear. */
public record Dense(INDArray weight, INDArray bias) implements LayerOp {
    public Dense {
        if (weight == null || weight.rank() != 2) {
            throw new IllegalArgumentException("dense weight must be [out,in]");
        }
        if (bias != null && bias.length() != weight.size(0)) {
            throw new IllegalArgumentException("dense bias has " + bias.length() + " values for " + weight.size(0) + " outputs");
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    @Override
    public long parameterCount() {
        return weight.length() + (bias == null ? 0 : bias.length());
    }

    @Override
    public Dense reinitialized(SplittableRandom random) {
        double bound = 1 / Math.sqrt(weight.size(1));
        return new Dense(LayerOp.uniform(random, weight, bound), LayerOp.uniform(random, bias, bound));
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        if (x[x.length - 1] != weight.size(1)) {
            throw new IllegalArgumentException(node + ": dense expects " + weight.size(1) + " inputs, gets " + Arrays.toString(x)
                    + (x.length == 3 ? " (flatten it first)" : ""));
        }
        long[] out = x.clone();
        out[x.length - 1] = weight.size(0);
        return out;
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return product(c, c.name(), UnaryOperator.identity(), c.input(0));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(transposed(c, c.name(), UnaryOperator.identity(), g));
    }

    /** Epsilon, or what the composite says of dense layers. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        LrpRules.Linear linear = new LrpRules.Linear() {
            @Override
            public SDVariable apply(OpContext c, String variant, UnaryOperator<INDArray> weight, UnaryOperator<INDArray> bias, SDVariable x) {
                return product(c, LayerOp.variantKey(c, variant),
                        d -> new Dense(weight.apply(d.weight), d.bias == null ? null : bias.apply(d.bias)), x);
            }

            @Override
            public SDVariable transpose(OpContext c, String variant, UnaryOperator<INDArray> weight, SDVariable x, SDVariable g) {
                return transposed(c, LayerOp.variantKey(c, variant), d -> new Dense(weight.apply(d.weight), null), g);
            }
        };
        return List.of(LrpRules.linear(c, linear, c.lrp().dense(), r));
    }

    /** x W^T + b of the layer {@code from} makes of the node's op, its weights cached under {@code key}. */
    private SDVariable product(OpContext c, String key, UnaryOperator<Dense> from, SDVariable x) {
        long[] out = c.outputShape();
        SDVariable product;
        if (out.length == 1 && c.singleRow()) {
            product = c.sd().mmul(x, c.constant(key + "#weight", (op, w) -> w.denseWeight(key, from.apply((Dense) op))), false, true, false);
        } else {
            long[] s = c.inputShape(0);
            SDVariable rows = out.length > 1 ? x.reshape(-1, s[s.length - 1]) : x;
            product = rows.mmul(c.constant(key + "#weight-transposed", (op, w) -> w.denseWeightTransposed(key, from.apply((Dense) op))));
        }
        // mmul + add rather than the fused xw_plus_b op: that one differs from DL4J by ~2e-4 in float
        if (from.apply(this).bias != null) {
            product = product.add(c.constant(key + "#bias", (op, w) -> w.vector(key + "#bias", from.apply((Dense) op).bias)));
        }
        return out.length > 1 ? product.reshape(SdTensors.withBatchSize(out)) : product;
    }

    /** g W of the layer {@code from} makes of the node's op: the input gradient. */
    private static SDVariable transposed(OpContext c, String key, UnaryOperator<Dense> from, SDVariable g) {
        SDVariable w = c.constant(key + "#weight", (op, layouts) -> layouts.denseWeight(key, from.apply((Dense) op)));
        long[] out = c.outputShape();
        return out.length == 1 ? g.mmul(w) : g.reshape(-1, out[out.length - 1]).mmul(w).reshape(SdTensors.withBatchSize(c.inputShape(0)));
    }
}
