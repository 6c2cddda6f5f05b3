package org.xaiworkbench.model;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A classifier whose parameters can be drawn afresh layer by layer: what the model-randomization
 * sanity check (Adebayo et al. 2018) needs to destroy a trained model from the top down.
 */
public interface Reinitializable extends Classifier {
    /** Modules that hold parameters, in forward order. */
    List<String> parameterLayers();

    /**
     * A copy whose {@code layers} (names from {@link #parameterLayers}) hold new weights and biases from
     * PyTorch's default initialiser, drawn from {@code seed} in the order given; every other parameter is
     * shared unchanged.
     */
    Classifier reinitialized(List<String> layers, long seed);

    /**
     * The cascade of the sanity check: stage i (from 1) re-initialises the first i of {@code layers}, and
     * equals {@code reinitialized(layers.subList(0, i), seed)}. Implementations that can draw each layer
     * once across the stages override this; the stages are made as they are asked for.
     */
    default Iterator<Classifier> cascade(List<String> layers, long seed) {
        List<String> order = List.copyOf(layers);
        return new Iterator<>() {
            private int stage;

            @Override
            public boolean hasNext() {
                return stage < order.size();
            }

            @Override
            public Classifier next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                stage++;
                return reinitialized(order.subList(0, stage), seed);
            }
        };
    }
}
