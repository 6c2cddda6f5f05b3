package org.xaiworkbench.explain;

import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The argument checks methods' option records share; each throws one line naming the option, and
 * for a number its bounds. Every number a method takes has an upper bound, so a typing slip in
 * {@code --set} is refused before it allocates or runs for hours; the bounds are far above the
 * settings the methods' papers and libraries use.
 */
public final class OptionChecks {
    /** Integration steps and noisy or background samples per image (Captum's defaults are 50 and 5). */
    public static final int MAX_STEPS = 10_000;
    /** Perturbed images per image for LIME and KernelSHAP (lime's default is 1,000). */
    public static final int MAX_SAMPLES = 100_000;
    /** Rows per model call. */
    public static final int MAX_BATCH = 4_096;
    /** An occlusion window or stride, in pixels. */
    public static final int MAX_WINDOW = 65_536;
    /** Noise in pixel units, inputs being in [0,1]. */
    public static final double MAX_STDEV = 10;

    private OptionChecks() {
    }

    /** value in minimum..maximum. */
    public static void between(String name, int value, int minimum, int maximum) {
        if (value < minimum || value > maximum) {
            throw new IllegalArgumentException(name + " must be in " + minimum + ".." + maximum + ", got " + value);
        }
    }

    /** value in minimum..maximum, both finite. */
    public static void between(String name, double value, double minimum, double maximum) {
        if (!(value >= minimum && value <= maximum)) {
            throw new IllegalArgumentException(name + " must be in " + minimum + ".." + maximum + ", got " + value);
        }
    }

    /** value in (0, maximum]. */
    public static void positiveAtMost(String name, double value, double maximum) {
        if (!(value > 0 && value <= maximum)) {
            throw new IllegalArgumentException(name + " must be > 0 and <= " + maximum + ", got " + value);
        }
    }

    public static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
        }
    }

    public static void positiveFinite(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0 and finite, got " + value);
        }
    }

    public static void required(String name, Object value, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be " + expected + ", got null");
        }
    }

    public static <E extends Enum<E>> void required(String name, E value, Class<E> type) {
        required(name, value, "one of " + Arrays.toString(type.getEnumConstants()));
    }

    /** For an option whose enum offers more values than the method takes, such as a {@link Baseline.Kind}. */
    @SafeVarargs
    public static <E extends Enum<E>> void oneOf(String name, E value, E... taken) {
        if (value == null || !List.of(taken).contains(value)) {
            throw new IllegalArgumentException(name + " must be one of "
                    + Arrays.stream(taken).map(Provenance::optionName).collect(Collectors.joining(", "))
                    + ", got " + (value == null ? "null" : Provenance.optionName(value)));
        }
    }

    public static void score(Score score) {
        required("score", score, Score.class);
    }

    /** For methods whose rule is defined on logits only. */
    public static void logitOnly(String method, Score score) {
        score(score);
        if (score != Score.LOGIT) {
            throw new IllegalArgumentException("explains logits only (its rule is not carried through the softmax): "
                    + "use --score logit or leave " + method + " out of --methods");
        }
    }
}
