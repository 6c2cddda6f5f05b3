package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;

import java.util.Map;

/** Area under the insertion curve: a faithful map reveals what the model needs first, so the score rises fast. */
public final class Insertion extends AbstractMetric {
    public static final String ID = "insertion";

    private final DeletionInsertionCurves.Options options;

    public Insertion() {
        this(DeletionInsertionCurves.Options.insertion());
    }

    public Insertion(DeletionInsertionCurves.Options options) {
        super(ID, Direction.HIGHER, "AUC of the target score as the top-ranked pixels are revealed on the insertion substrate, blurred by default (RISE)",
                options);
        this.options = options;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return DeletionInsertionCurves.areas(DeletionInsertionCurves.insertion(batch, options));
    }
}
