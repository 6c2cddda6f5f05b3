package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.Relu6Derivative;

import java.util.List;
import java.util.Locale;

/**
 * An element-wise activation. {@code alpha} is leaky ReLU's negative slope, ELU's scale, clip's
 * minimum or hard sigmoid's slope; {@code beta} is clip's maximum or hard sigmoid's offset
 * (max(0, min(1, alpha x + beta))) or the power's exponent; hard swish is x * relu6(x + 3) / 6.
 * DeepLIFT's rescale rule: (f(z) - f(z0)) / (z - z0); a ReLU follows the graph's {@link ReluRule}.
 */
public record Activation(Function function, double alpha, double beta) implements LayerOp {
    public enum Function { RELU, LEAKY_RELU, ELU, SIGMOID, TANH, CLIP, HARD_SIGMOID, HARD_SWISH, SQRT, ERF, POWER, RECIPROCAL }

    public Activation {
        if (function == null) {
            throw new IllegalArgumentException("activation function must not be null");
        }
        if (function == Function.CLIP && !(alpha < beta)) {
            throw new IllegalArgumentException("clip needs a minimum below its maximum, got " + alpha + " and " + beta);
        }
    }

    public Activation(Function function, double alpha) {
        this(function, alpha, 0);
    }

    public static Activation relu() {
        return new Activation(Function.RELU, 0);
    }

    public boolean isRelu() {
        return function == Function.RELU;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return function.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        return in.get(0);
    }

    @Override
    public SDVariable forward(OpContext c) {
        return activate(c.sd(), c.input(0));
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        SDVariable z = c.input(0);
        if (c.rescale()) {
            return List.of(g.mul(rescaleMultiplier(c, z, c.referenceInput(0))));
        }
        if (isRelu() && c.reluRule() != ReluRule.GRADIENT) {
            SDVariable positive = c.sd().nn().relu(g, 0);
            return List.of(c.reluRule() == ReluRule.GUIDED ? positive.mul(c.sd().math().step(z, 0.0)) : positive);
        }
        // one fused op instead of two steps, a subtraction and two products on MobileNet's largest activations
        return List.of(isRelu6() ? new Relu6Derivative(c.sd(), z, g, 0).outputVariable() : g.mul(derivative(c.sd(), z, c.output())));
    }

    private SDVariable activate(SameDiff sd, SDVariable z) {
        return switch (function) {
            case RELU -> sd.nn().relu(z, 0);
            case LEAKY_RELU -> sd.nn().leakyRelu(z, alpha);
            case ELU -> sd.nn().relu(z, 0).add(sd.math().exp(sd.math().min(z, sd.zerosLike(z))).sub(1.0).mul(alpha));
            case SIGMOID -> sd.nn().sigmoid(z);
            case TANH -> sd.math().tanh(z);
            case CLIP -> isRelu6() ? sd.nn().relu6(z, 0) : sd.math().clipByValue(z, alpha, beta);
            case HARD_SIGMOID -> sd.math().clipByValue(z.mul(alpha).add(beta), 0, 1);
            case HARD_SWISH -> z.mul(sd.math().clipByValue(z.add(3.0), 0, 6)).div(6.0);
            case SQRT -> sd.math().sqrt(z);
            case ERF -> sd.math().erf(z);
            case POWER -> sd.math().pow(z, alpha);
            case RECIPROCAL -> z.rdiv(1.0);
        };
    }

    /** f'(z), given z and f(z). */
    private SDVariable derivative(SameDiff sd, SDVariable z, SDVariable fz) {
        return switch (function) {
            // step + mul, not the relu_bp op: that one took about twice as long on VGG activations here
            case RELU -> sd.math().step(z, 0.0);
            case LEAKY_RELU -> sd.math().step(z, 0.0).mul(1 - alpha).add(alpha);
            case ELU -> {
                SDVariable positive = sd.math().step(z, 0.0);
                yield positive.add(positive.rsub(1.0).mul(sd.math().exp(sd.math().min(z, sd.zerosLike(z))).mul(alpha)));
            }
            case SIGMOID -> fz.mul(fz.rsub(1.0));
            case TANH -> fz.mul(fz).rsub(1.0);
            case CLIP -> inside(sd, z, alpha, beta);
            case HARD_SIGMOID -> inside(sd, z.mul(alpha).add(beta), 0, 1).mul(alpha);
            case HARD_SWISH -> z.mul(2.0).add(3.0).div(6.0).mul(inside(sd, z, -3, 3)).add(sd.math().step(z, 3.0));
            case SQRT -> fz.rdiv(0.5);
            case ERF -> sd.math().exp(z.mul(z).neg()).mul(2 / Math.sqrt(Math.PI));
            case POWER -> alpha == 2 ? z.mul(2.0) : sd.math().pow(z, alpha - 1).mul(alpha);
            case RECIPROCAL -> fz.mul(fz).neg();
        };
    }

    private boolean isRelu6() {
        return function == Function.CLIP && alpha == 0 && beta == 6;
    }

    /** 1 where lo < z < hi, else 0. */
    private static SDVariable inside(SameDiff sd, SDVariable z, double lo, double hi) {
        return sd.math().step(z, lo).mul(sd.math().step(z.rsub(hi), 0.0));
    }

    /** (f(z) - f(z0)) / (z - z0), or f'(z) where the two are too close to divide. */
    private SDVariable rescaleMultiplier(OpContext c, SDVariable z, SDVariable z0) {
        SameDiff sd = c.sd();
        SDVariable dz = z.sub(z0);
        SDVariable small = sd.math().abs(dz).lt(OpContext.RESCALE_EPS).castTo(c.dataType());
        SDVariable fz = activate(sd, z);
        SDVariable ratio = fz.sub(activate(sd, z0)).div(dz.add(small));
        return ratio.mul(small.rsub(1.0)).add(derivative(sd, z, fz).mul(small));
    }

    /** Relevance passes through unchanged (Zennit's Pass rule for activations and batch norms). */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return List.of(r);
    }
}
