package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * x op c with a constant c broadcast numpy-style against x's shape without the batch axis (c may
 * have leading 1s for it): the layer scale, bias and normalisation constants of transformer-style
 * blocks. {@code reversed} computes c op x (for subtraction). Affine in x, so DeepLIFT's multiplier
 * is its gradient.
 */
public record ConstantArithmetic(Operation operation, INDArray constant, boolean reversed) implements LayerOp {
    public enum Operation { ADD, SUBTRACT, MULTIPLY, DIVIDE }

    public ConstantArithmetic {
        if (operation == null || constant == null) {
            throw new IllegalArgumentException("constant arithmetic needs an operation and a constant");
        }
        if (reversed && operation == Operation.DIVIDE) {
            throw new IllegalArgumentException("dividing a constant by a layer is not supported");
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return (reversed ? "constant " : "") + switch (operation) {
            case ADD -> "+";
            case SUBTRACT -> "-";
            case MULTIPLY -> "×";
            case DIVIDE -> "÷";
        } + (reversed ? " layer" : " constant");
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        long[] out = ShapeRules.broadcast(node, this, x, ShapeRules.withoutBatch(constant.shape()));
        if (!Arrays.equals(out, x)) {
            throw new IllegalArgumentException(node + ": a constant of shape " + Arrays.toString(constant.shape())
                    + " would change the layer's shape " + Arrays.toString(x));
        }
        return x;
    }

    @Override
    public SDVariable forward(OpContext c) {
        SDVariable x = c.input(0);
        SDVariable k = constant(c);
        return switch (operation) {
            case ADD -> x.add(k);
            case SUBTRACT -> reversed ? k.sub(x) : x.sub(k);
            case MULTIPLY -> x.mul(k);
            case DIVIDE -> x.div(k);
        };
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        return List.of(switch (operation) {
            case ADD -> g;
            case SUBTRACT -> reversed ? g.neg() : g;
            case MULTIPLY -> g.mul(constant(c));
            case DIVIDE -> g.div(constant(c));
        });
    }

    private SDVariable constant(OpContext c) {
        return c.constant(c.name() + "#constant", (op, w) -> w.broadcastConstant(c.name(), ((ConstantArithmetic) op).constant(), c.imageLayout()));
    }
}
