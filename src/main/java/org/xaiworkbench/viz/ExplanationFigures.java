package org.xaiworkbench.viz;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of the explain command, in the seeds' layout: original | heat map over the image (hot)
 * | signed map (red/blue) where the method has a sign; a per-image grid of every method; per-module
 * figures; a grid of settings. Images arrive as pixel-space tensors, [1,3,H,W] or [3,H,W] in [0,1].
 * Maps that carry no picture become text panels.
 */
public final class ExplanationFigures {
    public static final int CELL = 128;
    /** How many of LIME's superpixels are highlighted, as lime's get_image_and_mask(num_features=5). */
    public static final int LIME_REGIONS = 5;

    /** One attribution map to draw: [1,C,H,W] or [1,1,H,W], and whether its sign means something. */
    public record MapView(String caption, INDArray map, boolean signed) {
    }

    private ExplanationFigures() {
    }

    /** Height of the colour scale under a thumbnail. */
    public static final int THUMBNAIL_SCALE = 8;

    /**
     * A method's map for a page's grid, with nothing to shrink: the |map| over the image at {@link #CELL} pixels
     * (the hot colour map, normalised per map as in the figures), and under it the colour scale from 0 to the map's
     * maximum; a map with nothing to show is a grey tile. Its method and class are for the page to caption.
     */
    public static BufferedImage thumbnail(INDArray image, MapView view) {
        BufferedImage original = Pictures.image(image);
        Heatmap heatmap = Heatmap.of(view.map());
        Degeneracy degeneracy = overlayDegeneracy(heatmap);
        BufferedImage out = new BufferedImage(CELL, CELL + THUMBNAIL_SCALE, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, CELL, CELL + THUMBNAIL_SCALE);
        if (degeneracy.degenerate()) {
            g.setColor(new java.awt.Color(200, 200, 200));
            g.fillRect(0, 0, CELL, CELL);
        } else {
            g.drawImage(Pictures.upscale(Pictures.hotOverlay(original, heatmap), CELL, CELL, false), 0, 0, null);
            for (int x = 0; x < CELL; x++) {
                g.setColor(new java.awt.Color(Colormap.HOT.rgb(x / (CELL - 1.0))));
                g.fillRect(x, CELL + 2, 1, THUMBNAIL_SCALE - 2);
            }
        }
        g.dispose();
        return out;
    }

    /**
     * original | overlay | signed map (signed methods) | top superpixels (region methods such as LIME,
     * whose map is constant on each superpixel).
     */
    public static Figure method(String title, INDArray image, MapView view, boolean regions) {
        BufferedImage original = Pictures.image(image);
        Heatmap heatmap = Heatmap.of(view.map());
        Figure figure = new Figure(title, CELL).add(Figure.Panel.image("original", original));
        figure.add(overlayPanel("|attribution| over image (hot)", original, heatmap));
        if (view.signed()) {
            figure.add(signedPanel("signed: red +, blue -", heatmap));
        }
        if (regions) {
            figure.add(regionPanel("top " + LIME_REGIONS + " positive superpixels", original, heatmap));
        }
        return figure;
    }

    /**
     * One row per target class: the original captioned with the class and its probability, then
     * each method's overlay; the first row ends with the probability bars.
     */
    public static Figure comparison(String title, INDArray image, List<String> rowCaptions,
                                    List<List<MapView>> rows, List<String> classNames, double[] probabilities) {
        BufferedImage original = Pictures.image(image);
        Figure figure = new Figure(title, CELL);
        for (int r = 0; r < rows.size(); r++) {
            figure.newRow().add(Figure.Panel.image(rowCaptions.get(r), original));
            for (MapView view : rows.get(r)) {
                Heatmap heatmap = Heatmap.of(view.map());
                figure.add(view.signed() ? signedPanel(view.caption(), heatmap) : overlayPanel(view.caption(), original, heatmap));
            }
            if (r == 0) {
                figure.add(probabilityPanel(classNames, probabilities));
            }
        }
        return figure;
    }

    /** The original, then one overlay per map, wrapping after {@code columns} panels. */
    public static Figure series(String title, INDArray image, List<MapView> views, int columns) {
        BufferedImage original = Pictures.image(image);
        Figure figure = new Figure(title, CELL).add(Figure.Panel.image("original", original));
        int placed = 1;
        for (MapView view : views) {
            if (placed % columns == 0) {
                figure.newRow();
            }
            figure.add(overlayPanel(view.caption(), original, Heatmap.of(view.map())));
            placed++;
        }
        return figure;
    }

    /** A grid of settings: rows by the first setting, columns by the second; the original heads each row. */
    public static Figure settingsGrid(String title, INDArray image, List<String> rowLabels, List<List<MapView>> cells) {
        BufferedImage original = Pictures.image(image);
        Figure figure = new Figure(title, CELL);
        for (int r = 0; r < cells.size(); r++) {
            figure.newRow().add(Figure.Panel.image(rowLabels.get(r), original));
            for (MapView view : cells.get(r)) {
                figure.add(overlayPanel(view.caption(), original, Heatmap.of(view.map())));
            }
        }
        return figure;
    }

    /**
     * A counterfactual: the image and the occluded image, each followed by its maps and its probability
     * bars, one row each.
     */
    public static Figure counterfactual(String title, List<String> rowCaptions, List<INDArray> images,
                                        List<List<MapView>> maps, List<String> classNames, List<double[]> probabilities) {
        Figure figure = new Figure(title, CELL);
        for (int r = 0; r < images.size(); r++) {
            BufferedImage image = Pictures.image(images.get(r));
            figure.newRow().add(Figure.Panel.image(rowCaptions.get(r), image));
            for (MapView view : maps.get(r)) {
                Heatmap heatmap = Heatmap.of(view.map());
                figure.add(view.signed() ? signedPanel(view.caption(), heatmap) : overlayPanel(view.caption(), image, heatmap));
            }
            figure.add(probabilityPanel(classNames, probabilities.get(r)));
        }
        return figure;
    }

    /** Classes by falling probability as bars. */
    public static Figure.Panel probabilityPanel(List<String> classNames, double[] probabilities) {
        Integer[] order = new Integer[probabilities.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        List<String> labels = Arrays.stream(order).map(i -> String.format("%s %.0f%%", classNames.get(i), 100 * probabilities[i]))
                .toList();
        double[] values = Arrays.stream(order).mapToDouble(i -> probabilities[i]).toArray();
        return Figure.Panel.bars("probabilities", labels, values);
    }

    /** What makes a map's overlay show nothing: the map itself, else its magnitude (a map of equal and opposite values). */
    private static Degeneracy overlayDegeneracy(Heatmap heatmap) {
        Degeneracy values = Degeneracy.of(heatmap.values());
        return values.degenerate() ? values : heatmap.magnitude().degeneracy();
    }

    static Figure.Panel overlayPanel(String caption, BufferedImage original, Heatmap heatmap) {
        Degeneracy degeneracy = overlayDegeneracy(heatmap);
        if (degeneracy.degenerate()) {
            return Figure.Panel.text(caption, degeneracy.description());
        }
        return Figure.Panel.map(caption, Pictures.hotOverlay(original, heatmap), Colormap.HOT);
    }

    static Figure.Panel signedPanel(String caption, Heatmap heatmap) {
        Degeneracy degeneracy = heatmap.degeneracy();
        if (degeneracy.degenerate()) {
            return Figure.Panel.text(caption, degeneracy.description());
        }
        return Figure.Panel.map(caption, Pictures.signedMap(heatmap), Colormap.DIVERGING);
    }

    static Figure.Panel regionPanel(String caption, BufferedImage original, Heatmap heatmap) {
        boolean[] mask = topPositiveRegions(heatmap, LIME_REGIONS);
        for (boolean m : mask) {
            if (m) {
                return Figure.Panel.image(caption, Pictures.highlightRegions(original, mask));
            }
        }
        return Figure.Panel.text(caption, "no superpixel raises the score");
    }

    /** Pixels whose value is among the k largest distinct positive values of a piecewise-constant map. */
    static boolean[] topPositiveRegions(Heatmap heatmap, int k) {
        double[] distinct = Arrays.stream(heatmap.values()).filter(v -> v > 0).distinct().sorted().toArray();
        double threshold = distinct.length == 0 ? Double.POSITIVE_INFINITY : distinct[Math.max(0, distinct.length - k)];
        double[] v = heatmap.values();
        boolean[] mask = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            mask[i] = v[i] > 0 && v[i] >= threshold;
        }
        return mask;
    }
}
