package org.xaiworkbench.explain;

import org.bytedeco.javacpp.Pointer;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.ImageClassifier;

import java.util.Arrays;
import java.util.Locale;

/**
 * Refuses a method whose options would need more memory than the JVM and ND4J may use, before it
 * runs: a batch of generated images, their gradients and the model's activations for them are held
 * at once, and an option's upper bound alone cannot know the model's size. Half of each limit is the
 * budget, the rest being the model's, the pictures' and the figures'.
 */
public final class MemoryBudget {
    public static final int FLOAT_BYTES = 4;
    public static final int DOUBLE_BYTES = 8;

    /**
     * The model's side of an estimate: values of one input image, bytes of one image's activations,
     * gradients and temporaries in a model call, and the rows the model runs per call (it splits
     * larger batches).
     */
    public record Footprint(long imageValues, long activationBytes, int rowsPerModelCall) {
        /**
         * A batch of {@code rows} generated images held in Java with {@code heapBytesPerValue} bytes per
         * pixel value (the images, their gradients, the method's sums), once more as floats in ND4J with
         * their gradients, and the model's activations for the rows of one of its calls.
         */
        public MemoryNeed batch(String option, int rows, int heapBytesPerValue) {
            long heap = rows * imageValues * heapBytesPerValue;
            long nativeBytes = rows * imageValues * FLOAT_BYTES * 2 + Math.min(rows, rowsPerModelCall) * activationBytes;
            return new MemoryNeed(heap, nativeBytes, option, rows);
        }
    }

    private MemoryBudget() {
    }

    /** The footprint of an image classifier; null for other classifiers, which are not checked. */
    public static Footprint footprint(Classifier classifier) {
        if (!(classifier instanceof ImageClassifier image)) {
            return null;
        }
        long values = Arrays.stream(image.inputShape()).asLongStream().reduce(1, (a, b) -> a * b);
        if (classifier instanceof GraphClassifier graph) {
            return new Footprint(values, GraphClassifier.bytesPerRow(graph.layerGraph(), graph.dataType()), graph.rowsPerCall());
        }
        // a DL4J network's layers are not known here; its input and gradients still count
        return new Footprint(values, 0, Integer.MAX_VALUE);
    }

    /** Throws a one-line IllegalArgumentException naming the option to lower where {@code method} would not fit. */
    public static void check(String method, MethodOptions options, Classifier classifier) {
        Footprint footprint = footprint(classifier);
        MemoryNeed need = footprint == null ? null : options.memoryNeed(footprint);
        if (need == null) {
            return;
        }
        refuseAbove(method, need, need.heapBytes(), Runtime.getRuntime().maxMemory(), "Java heap", "the JVM's", "-Xmx");
        refuseAbove(method, need, need.nativeBytes(), Pointer.maxBytes(), "ND4J memory", "ND4J's",
                "-Dorg.bytedeco.javacpp.maxbytes");
    }

    private static void refuseAbove(String method, MemoryNeed need, long bytes, long limit, String kind, String whose, String flag) {
        if (bytes > limit / 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s needs about %.1f GB of %s at %s %d, more than half of %s %.1f GB (%s); lower %s.%s",
                    method, bytes / 1e9, kind, need.option(), need.value(), whose, limit / 1e9, flag, method, need.option()));
        }
    }
}
