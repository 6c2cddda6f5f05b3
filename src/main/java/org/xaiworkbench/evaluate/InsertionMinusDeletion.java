package org.xaiworkbench.evaluate;

import java.util.Map;

/** Insertion AUC minus deletion AUC of the same image: one number where higher is better. */
public final class InsertionMinusDeletion extends AbstractMetric {
    public static final String ID = "insertion-minus-deletion";

    public InsertionMinusDeletion() {
        super(ID, Direction.HIGHER, "insertion AUC - deletion AUC");
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        DeletionInsertionCurves.Curves curves = DeletionInsertionCurves.of(batch);
        return Maps.combine(Deletion.areas(curves.insertion()), Deletion.areas(curves.deletion()), (in, out) -> in - out);
    }
}
