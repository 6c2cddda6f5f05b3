package org.xaiworkbench.evaluate;

import java.util.Map;

/** ROAD, MORF: mean change of the target score when ROAD removes the top-ranked pixels (10-90 %). */
public final class RoadMorf implements Metric {
    public static final String ID = "road-morf";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Direction direction() {
        return Direction.LOWER;
    }

    @Override
    public String description() {
        return "mean change of the target score when ROAD removes the top-ranked pixels (10-90 %)";
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        return RoadCurves.means(RoadCurves.of(batch).morf());
    }
}
