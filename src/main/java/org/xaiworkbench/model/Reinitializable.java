package org.xaiworkbench.model;

import java.util.List;

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
}
