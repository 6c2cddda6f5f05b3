package org.xaiworkbench.viz;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thirty-six methods and three controls on one chart: no two methods look alike, and the controls look like controls. */
class SeriesStylesTest {
    @Test
    void thirtySixMethodsGetDistinctStylesAndTheControlsGreyDottedLines() {
        List<String> controls = List.of("control-random", "control-edges", "control-centre");
        SeriesStyles styles = new SeriesStyles(Set.copyOf(controls));
        Set<String> seen = new HashSet<>();
        for (int m = 0; m < 36; m++) {
            SeriesStyles.Style style = styles.next("method-" + m);
            assertTrue(seen.add(style.color().getRGB() + " " + java.util.Arrays.toString(style.stroke().getDashArray())), "method " + m);
            boolean grey = style.color().getRed() == style.color().getGreen() && style.color().getGreen() == style.color().getBlue();
            assertTrue(!grey, "grey is for the controls: method " + m);
        }
        for (String control : controls) {
            SeriesStyles.Style style = styles.next(control);
            assertEquals(style.color().getRed(), style.color().getBlue(), control + " is grey");
            assertEquals(style.color().getRed(), style.color().getGreen(), control + " is grey");
            assertTrue(style.stroke().getDashArray() != null && style.stroke().getDashArray()[0] < 2, control + " is dotted");
        }
    }
}
