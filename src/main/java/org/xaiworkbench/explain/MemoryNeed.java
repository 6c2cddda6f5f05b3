package org.xaiworkbench.explain;

/**
 * What a method holds at once while it explains one image, beyond the model's weights: Java arrays
 * ({@code heapBytes}) and ND4J's off-heap arrays ({@code nativeBytes}), and the option that sets both.
 */
public record MemoryNeed(long heapBytes, long nativeBytes, String option, int value) {
}
