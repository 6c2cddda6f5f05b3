package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Splits one image into superpixels, the features LIME and KernelSHAP switch on and off. */
public interface Segmentation {
    /** @param image one image in pixel space, [C,H,W] or [1,C,H,W], values in [0,1] */
    Superpixels segment(INDArray image);

    /** Name and parameters, for the run's record. */
    String describe();

    /** A segmentation from its text: {@code slic} (SLIC's defaults) or {@code grid(ROWSxCOLS)}, as --set writes it. */
    static Segmentation parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("slic")) {
            return new SlicSegmentation();
        }
        java.util.regex.Matcher grid = java.util.regex.Pattern.compile("grid\\((\\d{1,5})x(\\d{1,5})\\)").matcher(t);
        if (grid.matches()) {
            return new GridSegmentation(Integer.parseInt(grid.group(1)), Integer.parseInt(grid.group(2)));
        }
        throw new IllegalArgumentException("expected slic or grid(ROWSxCOLS), got '" + text + "'");
    }

    /** The [C,H,W] shape of a single image given as [C,H,W] or [1,C,H,W]. */
    static long[] imageShape(INDArray image) {
        long[] s = image.shape();
        if (s.length == 3) {
            return s;
        }
        if (s.length == 4 && s[0] == 1) {
            return new long[]{s[1], s[2], s[3]};
        }
        throw new IllegalArgumentException("segmentation needs one image [C,H,W] or [1,C,H,W], got shape " + Arrays.toString(s));
    }
}
