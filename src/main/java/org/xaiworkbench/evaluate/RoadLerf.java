package org.xaiworkbench.evaluate;

import java.util.Map;

/** ROAD, LERF: mean change of the target score when ROAD removes the lowest-ranked pixels (10-90 %). */
public final class RoadLerf implements Metric {
    public static final String ID = "road-lerf";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Direction direction() {
        return Direction.HIGHER;
    }

    @Override
    public String description() {
        return "mean change of the target score when ROAD removes the lowest-ranked pixels (10-90 %)";
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return RoadCurves.means(RoadCurves.of(batch).lerf());
    }
}
