package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;

import java.util.Map;

/** Area under the deletion curve: a faithful map removes what the model needs first, so the score falls fast. */
public final class Deletion extends AbstractMetric {
    public static final String ID = "deletion";

    private final DeletionInsertionCurves.Options options;

    public Deletion() {
        this(DeletionInsertionCurves.Options.deletion());
    }

    public Deletion(DeletionInsertionCurves.Options options) {
        super(ID, Direction.LOWER, "AUC of the target score as the top-ranked pixels are removed (RISE)", options);
        this.options = options;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return DeletionInsertionCurves.areas(DeletionInsertionCurves.deletion(batch, options));
    }
}
