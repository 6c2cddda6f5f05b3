package org.xaiworkbench.explain;

import org.xaiworkbench.model.Score;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The argument checks methods' option records share; each throws one line naming the option. */
public final class OptionChecks {
    private OptionChecks() {
    }

    public static void positive(String name, int value) {
        atLeast(name, value, 1);
    }

    public static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
        }
    }

    public static void nonNegativeFinite(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, got " + value);
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
