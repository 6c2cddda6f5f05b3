package org.xaiworkbench.explain;

/**
 * A method that cannot explain the given model at all (not a bad option): DeepLIFT on an attention
 * layer, a class activation map on a model without an image-shaped layer. Commands running their
 * default method list skip such a method with a warning; a method the user named still fails.
 */
public final class MethodRefusal extends IllegalArgumentException {
    public MethodRefusal(String message) {
        super(message);
    }
}
