package org.xaiworkbench.evaluate;

/** A metric's name, direction and one-line description, so each metric class holds only its measure. */
abstract class AbstractMetric implements Metric {
    private final String id;
    private final Direction direction;
    private final String description;

    AbstractMetric(String id, Direction direction, String description) {
        this.id = id;
        this.direction = direction;
        this.description = description;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Direction direction() {
        return direction;
    }

    @Override
    public final String description() {
        return description;
    }
}
