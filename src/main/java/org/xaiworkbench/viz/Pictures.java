package org.xaiworkbench.viz;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/** Pixel-level pictures: tensors to images, colouring, overlays, masks and display scaling. */
public final class Pictures {
    /** How much of the heat map shows through an overlay, as pytorch-grad-cam's show_cam_on_image. */
    public static final double OVERLAY_ALPHA = 0.5;
    public static final int LIME_GREEN = 0x00C800;

    private Pictures() {
    }

    /** An image from a pixel-space tensor [1,3,H,W] or [3,H,W] in [0,1] (clipped). */
    public static BufferedImage image(INDArray pixels) {
        INDArray planes = pixels.rank() == 4 ? pixels.reshape(pixels.size(1), pixels.size(2), pixels.size(3)) : pixels;
        if (planes.rank() != 3 || (planes.size(0) != 3 && planes.size(0) != 1)) {
            throw new IllegalArgumentException("image needs [1,C,H,W] or [C,H,W] pixels with C 3 (RGB) or 1 (grey), got "
                    + Arrays.toString(pixels.shape()));
        }
        int height = (int) planes.size(1);
        int width = (int) planes.size(2);
        double[] v = HostValues.of(planes);
        int plane = width * height;
        // a grey picture reads its one plane as red, green and blue
        int green = planes.size(0) == 3 ? plane : 0;
        int blue = planes.size(0) == 3 ? 2 * plane : 0;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                out.setRGB(x, y, Colormap.pack(v[i], v[green + i], v[blue + i]));
            }
        }
        return out;
    }

    /** Scaled values coloured by a colormap. */
    public static BufferedImage colorize(double[] scaled, int width, int height, Colormap colormap) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.setRGB(x, y, colormap.rgb(scaled[y * width + x]));
            }
        }
        return out;
    }

    /** (1 - alpha) * base + alpha * top, pixel by pixel; both the same size. */
    public static BufferedImage blend(BufferedImage base, BufferedImage top, double alpha) {
        checkSameSize(base, top);
        BufferedImage out = new BufferedImage(base.getWidth(), base.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < base.getHeight(); y++) {
            for (int x = 0; x < base.getWidth(); x++) {
                out.setRGB(x, y, mix(base.getRGB(x, y), top.getRGB(x, y), alpha));
            }
        }
        return out;
    }

    /** The magnitude of a map, min-max scaled and coloured "hot", blended over the image. */
    public static BufferedImage hotOverlay(BufferedImage base, Heatmap heatmap) {
        return blend(base, colorize(heatmap.magnitude().unsignedScaled(), heatmap.width(), heatmap.height(), Colormap.HOT),
                OVERLAY_ALPHA);
    }

    /** The signed map scaled by its largest magnitude, red positive, blue negative, white zero. */
    public static BufferedImage signedMap(Heatmap heatmap) {
        return colorize(heatmap.signedScaled(), heatmap.width(), heatmap.height(), Colormap.DIVERGING);
    }

    /**
     * LIME's picture: the masked region tinted green and the rest dimmed (lime's get_image_and_mask with
     * positive_only; its yellow boundary lines would cover whole pixels at 32x32, so they are left out).
     */
    public static BufferedImage highlightRegions(BufferedImage base, boolean[] mask) {
        int width = base.getWidth();
        int height = base.getHeight();
        if (mask.length != width * height) {
            throw new IllegalArgumentException("mask needs " + width * height + " entries, got " + mask.length);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int rgb = base.getRGB(x, y);
                out.setRGB(x, y, mask[i] ? mix(rgb, LIME_GREEN, OVERLAY_ALPHA) : mix(rgb, 0, 0.6));
            }
        }
        return out;
    }

    /** Enlarged for display; nearest keeps each input pixel a visible square (no invented detail). */
    public static BufferedImage upscale(BufferedImage image, int width, int height, boolean smooth) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, smooth
                ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private static int mix(int a, int b, double alpha) {
        int red = (int) Math.round(((a >> 16) & 0xFF) * (1 - alpha) + ((b >> 16) & 0xFF) * alpha);
        int green = (int) Math.round(((a >> 8) & 0xFF) * (1 - alpha) + ((b >> 8) & 0xFF) * alpha);
        int blue = (int) Math.round((a & 0xFF) * (1 - alpha) + (b & 0xFF) * alpha);
        return (red << 16) | (green << 8) | blue;
    }

    private static void checkSameSize(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("images differ in size: " + a.getWidth() + "x" + a.getHeight() + " and "
                    + b.getWidth() + "x" + b.getHeight());
        }
    }
}
