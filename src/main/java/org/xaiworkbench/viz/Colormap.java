package org.xaiworkbench.viz;

/**
 * Colours for normalized heat maps. {@link #HOT} is matplotlib's "hot" (black, red, yellow, white) for
 * magnitudes in [0,1]; {@link #DIVERGING} is matplotlib's "bwr" for signed values in [-1,1]: blue for
 * negative, white for zero, red for positive, as SHAP and Captum draw signed attributions.
 */
public enum Colormap {
    HOT {
        @Override
        public int rgb(double value) {
            double t = clip(value, 0, 1);
            double red = ramp(t, 0, 0.365079, 0.0416, 1);
            double green = ramp(t, 0.365079, 0.746032, 0, 1);
            double blue = ramp(t, 0.746032, 1, 0, 1);
            return pack(red, green, blue);
        }
    },
    DIVERGING {
        @Override
        public int rgb(double value) {
            double t = clip(value, -1, 1);
            return t < 0 ? pack(1 + t, 1 + t, 1) : pack(1, 1 - t, 1 - t);
        }
    };

    /** 0xRRGGBB for a value; values outside the map's range are clipped, NaN maps to the range's start. */
    public abstract int rgb(double value);

    private static double clip(double v, double low, double high) {
        return Double.isNaN(v) ? low : Math.max(low, Math.min(high, v));
    }

    /** from below start, to above end, linear in between. */
    private static double ramp(double t, double start, double end, double from, double to) {
        if (t <= start) {
            return from;
        }
        if (t >= end) {
            return to;
        }
        return from + (to - from) * (t - start) / (end - start);
    }

    static int pack(double red, double green, double blue) {
        return (channel(red) << 16) | (channel(green) << 8) | channel(blue);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
