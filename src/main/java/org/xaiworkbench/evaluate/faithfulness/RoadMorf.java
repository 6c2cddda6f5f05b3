package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;

import java.util.Map;

/** ROAD, MORF: mean change of the target score when ROAD removes the top-ranked pixels (10-90 %). */
public final class RoadMorf extends AbstractMetric {
    public static final String ID = "road-morf";

    private final RoadCurves.Options options;

    public RoadMorf() {
        this(RoadCurves.Options.defaults());
    }

    public RoadMorf(RoadCurves.Options options) {
        super(ID, Direction.LOWER, "mean change of the target score when ROAD removes the top-ranked pixels (10-90 %)", options);
        this.options = options;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return RoadCurves.means(RoadCurves.of(batch, options).morf());
    }
}
