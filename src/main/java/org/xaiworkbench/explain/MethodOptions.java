package org.xaiworkbench.explain;

import org.xaiworkbench.model.Score;

/**
 * A method's settings, implemented by its {@code Options} record. The record's components are the
 * settings: their names are the keys of {@code --set method.key=value} and of the provenance each
 * result carries, and the record's compact constructor is the one place that checks them.
 */
public interface MethodOptions {
    /** The output the method attributes. */
    Score score();

    /** The seed of the method's random draws; methods without any keep 0. */
    default long seed() {
        return 0L;
    }

    /** What the method holds at once for one image on a model of that footprint; null where that is small. */
    default MemoryNeed memoryNeed(MemoryBudget.Footprint footprint) {
        return null;
    }
}
