package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The relevance a linear layer y = W x + b passes to its input under each rule of {@link LrpComposite},
 * as Zennit's rules compute it: forward passes with modified weights and inputs, the relevance divided
 * by the stabilized outputs, transposed passes back, products with the inputs. W+ and W- are the
 * weight's positive and negative parts, x+ and x- the input's, stab(z) = z + e * sign(z) with sign(0) = 1.
 */
final class LrpRules {
    private LrpRules() {
    }

    /** One linear layer under weight (and bias) transformations; a bias transformation returning null drops the bias. */
    interface Linear {
        /** W'x + b' with W' = weight(W), b' = bias(b); {@code variant} names the transformation for the constants' keys. */
        SDVariable apply(OpContext c, String variant, UnaryOperator<INDArray> weight, UnaryOperator<INDArray> bias, SDVariable x);

        /** W'^T g, g at the output. */
        SDVariable transpose(OpContext c, String variant, UnaryOperator<INDArray> weight, SDVariable x, SDVariable g);
    }

    private static final UnaryOperator<INDArray> SAME = w -> w;
    private static final UnaryOperator<INDArray> NONE = w -> null;
    private static final UnaryOperator<INDArray> POSITIVE = w -> Transforms.max(w, 0.0, true);
    private static final UnaryOperator<INDArray> NEGATIVE = w -> Transforms.min(w, 0.0, true);
    private static final UnaryOperator<INDArray> ONES = w -> Nd4j.onesLike(w);

    static SDVariable stabilized(SDVariable z, double epsilon) {
        SDVariable sign = z.getSameDiff().math().sign(z).add(z.eq(0.0).castTo(z.dataType()));
        return z.add(sign.mul(epsilon));
    }

    /** The relevance reaching the input of a linear layer with input x, given relevance r at its output. */
    static SDVariable linear(OpContext c, Linear layer, LrpComposite.Rule rule, SDVariable r) {
        SDVariable x = c.input(0);
        double eps = LrpComposite.STABILIZER;
        SDVariable positive = c.sd().nn().relu(x, 0);
        SDVariable negative = x.sub(positive);
        return switch (rule) {
            case EPSILON -> {
                SDVariable s = r.div(stabilized(layer.apply(c, "", SAME, SAME, x), c.lrp().epsilon()));
                yield x.mul(layer.transpose(c, "", SAME, x, s));
            }
            case Z_PLUS -> {
                SDVariable z = layer.apply(c, "positive", POSITIVE, POSITIVE, positive).add(layer.apply(c, "negative", NEGATIVE, NONE, negative));
                SDVariable s = r.div(stabilized(z, eps));
                yield positive.mul(layer.transpose(c, "positive", POSITIVE, x, s)).add(negative.mul(layer.transpose(c, "negative", NEGATIVE, x, s)));
            }
            case ALPHA2_BETA1 -> {
                double alpha = 2;
                double beta = 1;
                SDVariable zp = layer.apply(c, "positive", POSITIVE, POSITIVE, positive).add(layer.apply(c, "negative", NEGATIVE, NONE, negative));
                SDVariable zn = layer.apply(c, "negative", NEGATIVE, NEGATIVE, positive).add(layer.apply(c, "positive", POSITIVE, NONE, negative));
                SDVariable sp = r.div(stabilized(zp, eps));
                SDVariable sn = r.div(stabilized(zn, eps));
                SDVariable activating = positive.mul(layer.transpose(c, "positive", POSITIVE, x, sp))
                        .add(negative.mul(layer.transpose(c, "negative", NEGATIVE, x, sp)));
                SDVariable inhibiting = positive.mul(layer.transpose(c, "negative", NEGATIVE, x, sn))
                        .add(negative.mul(layer.transpose(c, "positive", POSITIVE, x, sn)));
                yield activating.mul(alpha).sub(inhibiting.mul(beta));
            }
            case GAMMA -> {
                double gamma = c.lrp().gamma();
                UnaryOperator<INDArray> morePositive = w -> w.add(Transforms.max(w, 0.0, true).mul(gamma));
                UnaryOperator<INDArray> moreNegative = w -> w.add(Transforms.min(w, 0.0, true).mul(gamma));
                String up = "gamma-positive-" + gamma;
                String down = "gamma-negative-" + gamma;
                SDVariable z = layer.apply(c, "", SAME, SAME, x);
                SDVariable forPositive = r.mul(z.gt(0.0).castTo(z.dataType())).div(stabilized(
                        layer.apply(c, up, morePositive, morePositive, positive).add(layer.apply(c, down, moreNegative, NONE, negative)), eps));
                SDVariable forNegative = r.mul(z.lt(0.0).castTo(z.dataType())).div(stabilized(
                        layer.apply(c, down, moreNegative, moreNegative, positive).add(layer.apply(c, up, morePositive, NONE, negative)), eps));
                yield positive.mul(layer.transpose(c, up, morePositive, x, forPositive))
                        .add(negative.mul(layer.transpose(c, down, moreNegative, x, forPositive)))
                        .add(positive.mul(layer.transpose(c, down, moreNegative, x, forNegative)))
                        .add(negative.mul(layer.transpose(c, up, morePositive, x, forNegative)));
            }
            case FLAT -> {
                SDVariable ones = c.sd().onesLike(x);
                SDVariable s = r.div(stabilized(layer.apply(c, "ones", ONES, NONE, ones), eps));
                yield layer.transpose(c, "ones", ONES, x, s);
            }
            case Z_BOX -> {
                if (!c.readsInput()) {
                    throw new IllegalArgumentException(c.name() + ": z-box needs the first convolution to read the picture, whose bounds it uses");
                }
                SDVariable low = c.sd().onesLike(x).mul(c.constant(c.name() + "#lrp-low", (op, w) -> c.inputBounds()[0]));
                SDVariable high = c.sd().onesLike(x).mul(c.constant(c.name() + "#lrp-high", (op, w) -> c.inputBounds()[1]));
                SDVariable z = layer.apply(c, "", SAME, SAME, x).sub(layer.apply(c, "positive", POSITIVE, POSITIVE, low))
                        .sub(layer.apply(c, "negative", NEGATIVE, NEGATIVE, high));
                SDVariable s = r.div(stabilized(z, eps));
                yield x.mul(layer.transpose(c, "", SAME, x, s)).sub(low.mul(layer.transpose(c, "positive", POSITIVE, x, s)))
                        .sub(high.mul(layer.transpose(c, "negative", NEGATIVE, x, s)));
            }
        };
    }

    /**
     * Zennit's Norm rule, for ops that sum or average their inputs: input k keeps its share,
     * x_k * (d out / d x_k)^T (r / stab(out)).
     */
    static List<SDVariable> norm(OpContext c, LayerOp op, SDVariable r) {
        List<SDVariable> back = op.backward(c, r.div(stabilized(c.output(), LrpComposite.STABILIZER)));
        List<SDVariable> shares = new ArrayList<>();
        for (int k = 0; k < back.size(); k++) {
            shares.add(c.input(k).mul(back.get(k)));
        }
        return shares;
    }
}
