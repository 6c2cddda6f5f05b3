package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.model.Score;

/** Converts logits to the score a method attributes. */
public final class Scores {
    private Scores() {
    }

    public static INDArray of(INDArray logits, Score score) {
        return switch (score) {
            case LOGIT -> logits;
            case PROBABILITY -> Transforms.softmax(logits, true);
            case LOG_PROBABILITY -> Transforms.log(Transforms.softmax(logits, true), false);
        };
    }
}
