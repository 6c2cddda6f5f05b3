package org.xaiworkbench.explain;

import org.xaiworkbench.model.Classifier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every attribution method by id, with its default options. Adding a method is one class plus one
 * line here; the CLI, the README's table and the conformance test all read this list.
 */
public final class AttributionRegistry {
    private static final Map<String, Function<Classifier, Attribution>> METHODS = new LinkedHashMap<>();

    static {
        // one line per method, in the order figures show them
    }

    private AttributionRegistry() {
    }

    public static List<String> ids() {
        return List.copyOf(METHODS.keySet());
    }

    public static Attribution create(String id, Classifier classifier) {
        Function<Classifier, Attribution> factory = METHODS.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("unknown method '" + id + "', expected one of " + ids());
        }
        return factory.apply(classifier);
    }
}
