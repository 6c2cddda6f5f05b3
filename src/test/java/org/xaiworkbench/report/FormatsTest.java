package org.xaiworkbench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatsTest {
    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertEquals("45 s", Formats.duration(45.2));
        assertEquals("70 min", Formats.duration(4200));
        assertEquals("2 h 02 min", Formats.duration(7300.8));
        assertEquals("–", Formats.duration(Double.NaN));
    }

    @Test
    void metricValuesKeepThreeDecimalsOrSwitchToScientificNotation() {
        assertEquals("0.123", Formats.metric(0.12345));
        assertEquals("-0.500", Formats.metric(-0.5));
        assertEquals("1.23e-05", Formats.metric(1.234e-5));
        assertEquals("–", Formats.metric(Double.NaN));
        assertEquals("72.34%", Formats.percent(0.7234, 2));
        assertEquals("6,400,586", Formats.count(6_400_586));
    }

    @Test
    void settingsReadAsTyped() {
        assertEquals("1e-5", Formats.setting(1e-5));
        assertEquals("0.001", Formats.setting(0.001));
        assertEquals("0.00025", Formats.setting(2.5e-4));
        assertEquals("0", Formats.setting(0));
    }

    @Test
    void aColumnOfMetricValuesKeepsOneNotation() {
        java.util.function.DoubleFunction<String> fixed = Formats.metricColumn(new double[]{0.5, -0.2, 0, 12.25, 0.004});
        assertEquals("0.500", fixed.apply(0.5));
        assertEquals("12.250", fixed.apply(12.25));
        assertEquals("0.000", fixed.apply(0));
        assertEquals("0.004", fixed.apply(0.004));
        java.util.function.DoubleFunction<String> scientific = Formats.metricColumn(new double[]{0.5, 0.0004, Double.NaN});
        assertEquals("5.00e-01", scientific.apply(0.5), "one small value puts the whole column in scientific notation");
        assertEquals("4.00e-04", scientific.apply(0.0004));
        assertEquals("–", scientific.apply(Double.NaN));
    }
}
