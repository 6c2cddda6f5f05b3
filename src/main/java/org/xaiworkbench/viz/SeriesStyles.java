package org.xaiworkbench.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Set;

/**
 * How the lines of a chart with many methods stay apart: methods take matplotlib's tab20 colours without its two
 * greys (18 hues), solid first and dashed once those are used; the control maps are grey and dotted, so a
 * reader sees at once which lines are the baselines a method must beat.
 */
final class SeriesStyles {
    /** A line's colour and stroke. */
    record Style(Color color, BasicStroke stroke) {
    }

    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0xbcbd22), new Color(0x17becf),
            new Color(0xaec7e8), new Color(0xffbb78), new Color(0x98df8a), new Color(0xff9896), new Color(0xc5b0d5),
            new Color(0xc49c94), new Color(0xf7b6d2), new Color(0xdbdb8d), new Color(0x9edae5)};
    private static final Color[] GREYS = {new Color(0x555555), new Color(0x888888), new Color(0xaaaaaa)};
    private static final BasicStroke SOLID = new BasicStroke(2f);
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[]{7f, 4f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[]{1.5f, 4f}, 0f);

    private final Set<String> controls;
    private int methods;
    private int controlsSeen;

    /** @param controls the series names that are control maps */
    SeriesStyles(Set<String> controls) {
        this.controls = Set.copyOf(controls);
    }

    /** The style of the next series, in the order the chart adds them. */
    Style next(String name) {
        if (controls.contains(name)) {
            return new Style(GREYS[controlsSeen++ % GREYS.length], DOTTED);
        }
        int index = methods++;
        BasicStroke stroke = (index / PALETTE.length) % 2 == 0 ? SOLID : DASHED;
        return new Style(PALETTE[index % PALETTE.length], stroke);
    }

    boolean isControl(String name) {
        return controls.contains(name);
    }
}
