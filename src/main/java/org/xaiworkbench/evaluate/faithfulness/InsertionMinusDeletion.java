package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;

import java.util.Map;

/** Insertion AUC minus deletion AUC of the same image: one number where higher is better. */
public final class InsertionMinusDeletion extends AbstractMetric {
    public static final String ID = "insertion-minus-deletion";

    private final DeletionInsertionCurves.Options deletion;
    private final DeletionInsertionCurves.Options insertion;

    public InsertionMinusDeletion() {
        this(DeletionInsertionCurves.Options.deletion(), DeletionInsertionCurves.Options.insertion());
    }

    /** The curves as the deletion and insertion metrics draw them ({@code --set deletion.*}, {@code --set insertion.*}). */
    public InsertionMinusDeletion(DeletionInsertionCurves.Options deletion, DeletionInsertionCurves.Options insertion) {
        super(ID, Direction.HIGHER, "insertion AUC - deletion AUC");
        this.deletion = deletion;
        this.insertion = insertion;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return Maps.combine(DeletionInsertionCurves.areas(DeletionInsertionCurves.insertion(batch, insertion)),
                DeletionInsertionCurves.areas(DeletionInsertionCurves.deletion(batch, deletion)), (in, out) -> in - out);
    }
}
