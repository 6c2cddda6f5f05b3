package org.xaiworkbench.evaluate;

/**
 * One image under evaluation: its pixels [C,H,W] flattened in c order, in [0,1], the class its maps
 * explain (the model's prediction) and the true label (for a picture without one, the prediction again),
 * with the logits of the image itself.
 */
public record Sample(int index, double[] pixels, int channels, int height, int width, int label, int target,
                     double[] logits) implements java.io.Serializable {
    public Sample {
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException("image " + index + ": " + pixels.length + " values for " + channels + "x" + height
                    + "x" + width);
        }
    }

    public int pixelCount() {
        return height * width;
    }
}
