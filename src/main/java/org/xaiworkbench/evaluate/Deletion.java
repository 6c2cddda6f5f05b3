package org.xaiworkbench.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/** Area under the deletion curve: a faithful map removes what the model needs first, so the score falls fast. */
public final class Deletion extends AbstractMetric {
    public static final String ID = "deletion";

    public Deletion() {
        super(ID, Direction.LOWER, "AUC of the target score as the top-ranked pixels are removed (RISE)");
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return areas(DeletionInsertionCurves.of(batch).deletion());
    }

    static Map<String, double[]> areas(Map<String, double[][]> curves) {
        Map<String, double[]> out = new LinkedHashMap<>();
        curves.forEach((id, perImage) -> {
            double[] values = new double[perImage.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = DeletionInsertionCurves.auc(perImage[i]);
            }
            out.put(id, values);
        });
        return out;
    }
}
