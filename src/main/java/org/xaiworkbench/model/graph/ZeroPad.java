package org.xaiworkbench.model.graph;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Zero padding of an image, each side on its own. */
public record ZeroPad(int top, int bottom, int left, int right) implements LayerOp {
    public ZeroPad {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + top + ", " + bottom + ", " + left + ", " + right);
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String describe() {
        return "zero-pad";
    }

    @Override
    public long[] outputShape(String node, List<long[]> in) {
        long[] x = in.get(0);
        ShapeRules.image(node, this, x);
        return new long[]{x[0], x[1] + top + bottom, x[2] + left + right};
    }

    @Override
    public Layout layout(long[] outputShape) {
        return Layout.IMAGE;
    }

    @Override
    public SDVariable forward(OpContext c) {
        return c.sd().nn().pad(c.input(0), c.sd().constant(Nd4j.createFromArray(new int[][]{{0, 0}, {top, bottom}, {left, right}, {0, 0}})),
                PadMode.CONSTANT, 0);
    }

    @Override
    public List<SDVariable> backward(OpContext c, SDVariable g) {
        long[] s = c.inputShape(0);
        return List.of(g.get(SDIndex.all(), SDIndex.interval((long) top, top + s[1]), SDIndex.interval((long) left, left + s[2]), SDIndex.all()));
    }

    /** Relevance moves as the gradient does: this op only rearranges values. */
    @Override
    public List<SDVariable> relevance(OpContext c, SDVariable r) {
        return backward(c, r);
    }
}
