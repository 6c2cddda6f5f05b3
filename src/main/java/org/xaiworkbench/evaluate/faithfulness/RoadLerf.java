package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;

import java.util.Map;

/** ROAD, LERF: mean change of the target score when ROAD removes the lowest-ranked pixels (10-90 %). */
public final class RoadLerf extends AbstractMetric {
    public static final String ID = "road-lerf";

    private final RoadCurves.Options options;

    public RoadLerf() {
        this(RoadCurves.Options.defaults());
    }

    public RoadLerf(RoadCurves.Options options) {
        super(ID, Direction.HIGHER, "mean change of the target score when ROAD removes the lowest-ranked pixels (10-90 %)", options);
        this.options = options;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return RoadCurves.means(RoadCurves.of(batch, options).lerf());
    }
}
