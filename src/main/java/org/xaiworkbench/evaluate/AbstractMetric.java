package org.xaiworkbench.evaluate;

import org.xaiworkbench.explain.Provenance;

import java.util.Map;

/** A metric's name, direction, one-line description and options, so each metric class holds only its measure. */
public abstract class AbstractMetric implements Metric {
    private final String id;
    private final Direction direction;
    private final String description;
    private final Record options;

    protected AbstractMetric(String id, Direction direction, String description) {
        this(id, direction, description, null);
    }

    /** @param options the metric's options record, null for none */
    protected AbstractMetric(String id, Direction direction, String description, Record options) {
        this.id = id;
        this.direction = direction;
        this.description = description;
        this.options = options;
    }

    @Override
    public final Map<String, Object> describeOptions() {
        return options == null ? Map.of() : Provenance.of(options);
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
