package org.xaiworkbench.viz;

import org.xaiworkbench.data.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A titled grid of panels (pictures, text in place of degenerate maps, probability bars), drawn with
 * Java2D and written as PNG. Panels fill rows left to right; {@link #newRow()} starts the next row.
 */
public final class Figure {
    private static final int PAD = 8;
    private static final int TITLE_LINE = 19;
    private static final int CAPTION_HEIGHT = 34;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final int SCALE_BAR_WIDTH = 80;
    private static final int SCALE_ROW = 18;

    /**
     * One cell: exactly one of image, text or bars is set. A map drawn in a colour map names it, so that
     * the figure draws that map's scale once above its panels.
     */
    public record Panel(String caption, BufferedImage image, String text, List<String> barLabels, double[] barValues,
                        Colormap colormap) {
        public static Panel image(String caption, BufferedImage image) {
            return new Panel(caption, image, null, null, null, null);
        }

        /** A map coloured by {@code colormap}, each map on its own scale (see {@link #legend}). */
        public static Panel map(String caption, BufferedImage image, Colormap colormap) {
            return new Panel(caption, image, null, null, null, colormap);
        }

        public static Panel text(String caption, String text) {
            return new Panel(caption, null, text, null, null, null);
        }

        /** Horizontal bars of values in [0,1], e.g. class probabilities, best first as given. */
        public static Panel bars(String caption, List<String> labels, double[] values) {
            return new Panel(caption, null, null, List.copyOf(labels), values.clone(), null);
        }
    }

    /**
     * What a colour map's scale says, short enough for the narrowest figure: each map is normalised on its own,
     * a magnitude from its minimum to its robust maximum (Captum's, the top {@value Heatmap#OUTLIER_PERCENT} % of
     * its mass clipped), a signed map symmetrically by its robust maximum |value| m.
     */
    static String legend(Colormap colormap) {
        return switch (colormap) {
            case HOT -> "|map| per map: min → robust max";
            case DIVERGING -> "signed per map: −m → 0 → +m";
        };
    }

    private final String title;
    private final int cellSize;
    private final List<List<Panel>> rows = new ArrayList<>();

    public Figure(String title, int cellSize) {
        if (cellSize < 32) {
            throw new IllegalArgumentException("cell size must be >= 32 px, got " + cellSize);
        }
        this.title = title;
        this.cellSize = cellSize;
        rows.add(new ArrayList<>());
    }

    public Figure add(Panel panel) {
        rows.get(rows.size() - 1).add(panel);
        return this;
    }

    public Figure newRow() {
        if (!rows.get(rows.size() - 1).isEmpty()) {
            rows.add(new ArrayList<>());
        }
        return this;
    }

    public int panelCount() {
        return rows.stream().mapToInt(List::size).sum();
    }

    public BufferedImage render() {
        List<List<Panel>> filled = rows.stream().filter(r -> !r.isEmpty()).toList();
        int columns = filled.stream().mapToInt(List::size).max().orElse(1);
        int cellHeight = CAPTION_HEIGHT + cellSize;
        int width = Math.max(PAD + columns * (cellSize + PAD), 320);
        List<String> titleLines = titleLines(width - 2 * PAD);
        List<Colormap> scales = filled.stream().flatMap(List::stream).map(Panel::colormap).filter(java.util.Objects::nonNull)
                .distinct().toList();
        int titleHeight = 8 + titleLines.size() * TITLE_LINE + scales.size() * SCALE_ROW;
        int height = titleHeight + PAD + Math.max(filled.size(), 1) * (cellHeight + PAD);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        for (int i = 0; i < titleLines.size(); i++) {
            g.drawString(titleLines.get(i), PAD, 20 + i * TITLE_LINE);
        }
        for (int i = 0; i < scales.size(); i++) {
            drawScale(g, scales.get(i), PAD, 8 + titleLines.size() * TITLE_LINE + i * SCALE_ROW + 4, width - 2 * PAD);
        }
        for (int r = 0; r < filled.size(); r++) {
            for (int c = 0; c < filled.get(r).size(); c++) {
                int x = PAD + c * (cellSize + PAD);
                int y = titleHeight + PAD + r * (cellHeight + PAD);
                draw(g, filled.get(r).get(c), x, y);
            }
        }
        g.dispose();
        return out;
    }

    private List<String> titleLines(int width) {
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        probe.setFont(TITLE_FONT);
        List<String> lines = wrap(probe, title, width, 3);
        probe.dispose();
        return lines;
    }

    public void writePng(Path png) throws IOException {
        writePng(render(), png);
    }

    /** Encodes in memory first: ImageIO would hide a write error's cause (a full disk) behind its own message. */
    public static void writePng(BufferedImage image, Path png) throws IOException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", encoded)) {
            throw new IOException(png + ": no PNG writer available");
        }
        AtomicFiles.write(png, temp -> Files.write(temp, encoded.toByteArray()));
    }

    private void draw(Graphics2D g, Panel panel, int x, int y) {
        g.setColor(Color.BLACK);
        g.setFont(CAPTION_FONT);
        List<String> caption = wrap(g, panel.caption() == null ? "" : panel.caption(), cellSize, 2);
        for (int i = 0; i < caption.size(); i++) {
            g.drawString(caption.get(i), x, y + 13 + i * 15);
        }
        int top = y + CAPTION_HEIGHT;
        if (panel.image() != null) {
            g.drawImage(Pictures.upscale(panel.image(), cellSize, cellSize, false), x, top, null);
        } else if (panel.text() != null) {
            g.setColor(new Color(235, 235, 235));
            g.fillRect(x, top, cellSize, cellSize);
            g.setColor(Color.DARK_GRAY);
            g.setFont(SMALL_FONT);
            List<String> lines = wrap(g, panel.text(), cellSize - 10, 6);
            for (int i = 0; i < lines.size(); i++) {
                g.drawString(lines.get(i), x + 5, top + 20 + i * 14);
            }
        } else {
            drawBars(g, panel, x, top);
        }
    }

    /** A colour map's bar, its low end at the left, followed by its legend. */
    static void drawScale(Graphics2D g, Colormap colormap, int x, int top, int width) {
        double low = colormap == Colormap.DIVERGING ? -1 : 0;
        for (int i = 0; i < SCALE_BAR_WIDTH; i++) {
            g.setColor(new Color(colormap.rgb(low + (1 - low) * i / (SCALE_BAR_WIDTH - 1.0))));
            g.fillRect(x + i, top, 1, 10);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, top, SCALE_BAR_WIDTH - 1, 10);
        g.setColor(Color.DARK_GRAY);
        g.setFont(SMALL_FONT);
        g.drawString(fit(g, legend(colormap), width - SCALE_BAR_WIDTH - 8), x + SCALE_BAR_WIDTH + 8, top + 10);
    }

    /**
     * Each bar spans the cell at full value, tinted, with its label written over it across the whole cell width,
     * so a class name is not cut to share the row with its bar.
     */
    private void drawBars(Graphics2D g, Panel panel, int x, int top) {
        g.setFont(SMALL_FONT);
        int n = panel.barLabels().size();
        int rowHeight = Math.max(8, cellSize / Math.max(n, 1));
        for (int i = 0; i < n; i++) {
            int rowTop = top + i * rowHeight;
            double value = Math.max(0, Math.min(1, panel.barValues()[i]));
            g.setColor(i == 0 ? new Color(244, 160, 160) : new Color(164, 200, 230));
            g.fillRect(x, rowTop + 1, (int) Math.round(value * cellSize), rowHeight - 2);
            g.setColor(Color.BLACK);
            g.drawString(barLabel(g, panel.barLabels().get(i), cellSize), x + 1, rowTop + rowHeight - 2);
        }
    }

    /** A bar's label as drawn in a cell {@code cellSize} wide: whole if it fits, else cut with an ellipsis. */
    static String barLabel(Graphics2D g, String label, int cellSize) {
        g.setFont(SMALL_FONT);
        return fit(g, label, cellSize - 2);
    }

    private static String fit(Graphics2D g, String text, int width) {
        FontMetrics metrics = g.getFontMetrics();
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && metrics.stringWidth(cut + "…") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    /**
     * Greedy line breaking at spaces, after hyphens (method ids such as integrated-gradients) and after
     * slashes (layer names such as ONNX node paths, /blocks/blocks.0/body/body.0/Conv).
     */
    private static List<String> wrap(Graphics2D g, String text, int width, int maxLines) {
        FontMetrics metrics = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String[] pieces = word.split("(?<=[-/])");
            for (int p = 0; p < pieces.length; p++) {
                String separator = line.isEmpty() || p > 0 ? "" : " ";
                String candidate = line + separator + pieces[p];
                if (metrics.stringWidth(candidate) <= width || line.isEmpty()) {
                    line.setLength(0);
                    line.append(candidate);
                } else {
                    lines.add(line.toString());
                    line.setLength(0);
                    line.append(pieces[p]);
                }
            }
        }
        lines.add(line.toString());
        if (lines.size() > maxLines) {
            List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
            kept.set(maxLines - 1, fit(g, String.join(" ", lines.subList(maxLines - 1, lines.size())), width));
            return kept;
        }
        return lines.stream().map(l -> fit(g, l, width)).toList();
    }
}
