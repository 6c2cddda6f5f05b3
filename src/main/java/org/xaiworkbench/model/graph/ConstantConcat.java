package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/** A constant (without the batch axis) placed before the layer along an axis: a transformer's class token. */
public record ConstantConcat(INDArray constant, int axis) implements LayerOp {
    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return "constant token + layer";
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        long[] c = constant.shape();
        boolean fits = c.length == x.length && axis < x.length;
        for (int i = 0; fits && i < x.length; i++) {
            fits = i == axis || c[i] == x[i];
        }
        if (!fits) {
            throw new IllegalArgumentException(node + ": a constant of shape " + Arrays.toString(c) + " before " + Arrays.toString(x));
        }
        long[] out = x.clone();
        out[axis] += c[axis];
        return out;
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.PLAIN;
    }

    /** The constant repeated for each row of the batch (a zero slice of x plus the constant), then x. */
    @Override
    public SDVariable forward(OpContext c) {
        SDVariable x = c.input(0);
        SDVariable k = c.constant(c.name() + "#constant", (op, w) -> w.perImageConstant(c.name(), ((ConstantConcat) op).constant()));
        int rank = c.inputShape(0).length;
        SDVariable perImage = x.get(SdTensors.axisInterval(rank, axis, 0, 1)).mul(0.0);
        for (long i = 1; i < constant.size(axis); i++) {
            perImage = c.sd().concat(axis + 1, perImage, x.get(SdTensors.axisInterval(rank, axis, 0, 1)).mul(0.0));
        }
        return c.sd().concat(axis + 1, perImage.add(k), x);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        long[] out = c.outputShape();
        return List.of(g.get(SdTensors.axisInterval(out.length, axis, constant.size(axis), out[axis])));
    }
}
