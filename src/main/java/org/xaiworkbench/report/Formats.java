package org.xaiworkbench.report;

import java.math.BigDecimal;
import java.util.Locale;

/** How numbers read on the page: fixed decimals, thousands separators, durations in h/min/s. */
final class Formats {
    private Formats() {
    }

    /** 0.7234 as "72.34%" with {@code decimals} decimals. */
    static String percent(double fraction, int decimals) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * fraction) : "–";
    }

    static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "–";
    }

    /** Metric values span 1e-6 (infidelity) to 1 (AUCs): three decimals where they mean something, else scientific notation. */
    static String metric(double value) {
        if (!Double.isFinite(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        return magnitude == 0 || (magnitude >= 0.01 && magnitude < 1000) ? String.format(Locale.ROOT, "%.3f", value)
                : String.format(Locale.ROOT, "%.2e", value);
    }

    /**
     * One notation for a whole column of metric values: three decimals when every non-zero value is
     * between 0.001 and 1000 in magnitude (a value near the low end keeps one significant digit, which a
     * rank and an interval do not need more of), scientific notation for all of them otherwise, so that a
     * column never mixes the two.
     */
    static java.util.function.DoubleFunction<String> metricColumn(double[] values) {
        boolean fixed = java.util.Arrays.stream(values).filter(Double::isFinite).map(Math::abs)
                .allMatch(m -> m == 0 || (m >= 0.001 && m < 1000));
        return value -> !Double.isFinite(value) ? "–"
                : fixed || value == 0 ? String.format(Locale.ROOT, "%.3f", value) : String.format(Locale.ROOT, "%.2e", value);
    }

    /** A hyper-parameter as one would type it: 0.001, 1e-5, 0. */
    static String setting(double value) {
        BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros();
        return exact.scale() > 3 && exact.precision() == 1 ? exact.unscaledValue() + "e-" + exact.scale() : exact.toPlainString();
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** 7300.8 s as "2 h 01 min", 4200 s as "70 min", 45.2 s as "45 s". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "–";
        }
        long rounded = Math.round(seconds);
        if (rounded < 120) {
            return rounded + " s";
        }
        long minutes = Math.round(seconds / 60);
        return minutes < 100 ? minutes + " min" : String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }
}
