package org.xaiworkbench.evaluate;

import java.util.Map;

/** Area under the insertion curve: a faithful map reveals what the model needs first, so the score rises fast. */
public final class Insertion extends AbstractMetric {
    public static final String ID = "insertion";

    public Insertion() {
        super(ID, Direction.HIGHER, "AUC of the target score as the top-ranked pixels are revealed on the insertion substrate, blurred by default (RISE)");
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return Deletion.areas(DeletionInsertionCurves.of(batch).insertion());
    }
}
