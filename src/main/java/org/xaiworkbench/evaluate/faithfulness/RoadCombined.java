package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;

import java.util.Map;

/** ROAD combined, (LeRF - MoRF) / 2 of the same image: the two orders' gap, higher is better. */
public final class RoadCombined extends AbstractMetric {
    public static final String ID = "road-combined";

    private final RoadCurves.Options options;

    public RoadCombined() {
        this(RoadCurves.Options.defaults());
    }

    public RoadCombined(RoadCurves.Options options) {
        super(ID, Direction.HIGHER, "(ROAD LeRF - ROAD MoRF) / 2", options);
        this.options = options;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        RoadCurves.Curves curves = RoadCurves.of(batch, options);
        return Maps.combine(RoadCurves.means(curves.lerf()), RoadCurves.means(curves.morf()), (lerf, morf) -> (lerf - morf) / 2);
    }
}
