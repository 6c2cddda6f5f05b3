package org.xaiworkbench.explain.region;

import org.xaiworkbench.explain.GaussianBlur;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Felzenszwalb and Huttenlocher's graph-based segmentation (IJCV 2004) as scikit-image's
 * {@code segmentation.felzenszwalb} computes it, which PAIR's XRAI segments with: each channel smoothed
 * by SciPy's Gaussian (reflected borders, 4 sigma), 8-connected edges weighted by the Euclidean colour
 * distance, taken cheapest first; two segments merge when the edge costs less than the smaller of their
 * internal differences plus scale/255 over their sizes, then segments below the minimum size merge along
 * the cheapest edges; labels are numbered by each segment's first pixel. Equal costs are taken in
 * scikit-image's edge order (its quicksort leaves their order open), so on ties the two can differ.
 *
 * <p>The edges and their order depend only on the image, so one {@link Graph} serves every scale.
 */
final class Felzenszwalb {
    private Felzenszwalb() {
    }

    /** The sorted edges of one smoothed image: endpoints and costs, cheapest first. */
    record Graph(int pixels, int[] from, int[] to, double[] costs) {
    }

    /** The graph of a [C,H,W] image smoothed with {@code sigma}. */
    static Graph graph(double[] image, int channels, int height, int width, double sigma) {
        double[] smooth = new GaussianBlur(sigma, (int) (4 * sigma + 0.5), GaussianBlur.Border.REFLECT)
                .apply(image, channels, height, width);
        int right = height * (width - 1);
        int down = (height - 1) * width;
        int diagonal = (height - 1) * (width - 1);
        int edges = right + down + 2 * diagonal;
        int[] a = new int[edges];
        int[] b = new int[edges];
        int e = 0;
        // scikit-image's order: right, down, down-right, up-right neighbours
        for (int y = 0; y < height; y++) {
            for (int x = 0; x + 1 < width; x++, e++) {
                a[e] = y * width + x + 1;
                b[e] = y * width + x;
            }
        }
        for (int y = 0; y + 1 < height; y++) {
            for (int x = 0; x < width; x++, e++) {
                a[e] = (y + 1) * width + x;
                b[e] = y * width + x;
            }
        }
        for (int y = 0; y + 1 < height; y++) {
            for (int x = 0; x + 1 < width; x++, e++) {
                a[e] = (y + 1) * width + x + 1;
                b[e] = y * width + x;
            }
        }
        for (int y = 0; y + 1 < height; y++) {
            for (int x = 0; x + 1 < width; x++, e++) {
                a[e] = y * width + x + 1;
                b[e] = (y + 1) * width + x;
            }
        }
        int plane = height * width;
        double[] costs = new double[edges];
        for (int k = 0; k < edges; k++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                double d = smooth[c * plane + a[k]] - smooth[c * plane + b[k]];
                sum += d * d;
            }
            costs[k] = Math.sqrt(sum);
        }
        Integer[] order = IntStream.range(0, edges).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(k -> costs[k]));
        int[] from = new int[edges];
        int[] to = new int[edges];
        double[] sorted = new double[edges];
        for (int k = 0; k < edges; k++) {
            from[k] = a[order[k]];
            to[k] = b[order[k]];
            sorted[k] = costs[order[k]];
        }
        return new Graph(plane, from, to, sorted);
    }

    /** One label per pixel, 0..n-1, numbered in the order of each segment's first pixel. */
    static int[] segment(Graph graph, double scale, int minSize) {
        int n = graph.pixels();
        int[] forest = new int[n];
        Arrays.setAll(forest, i -> i);
        int[] size = new int[n];
        Arrays.fill(size, 1);
        double[] internal = new double[n];
        double k = scale / 255.0;
        for (int e = 0; e < graph.costs().length; e++) {
            int s0 = root(forest, graph.from()[e]);
            int s1 = root(forest, graph.to()[e]);
            if (s0 == s1) {
                continue;
            }
            // scikit-image holds these two in single precision
            float inner0 = (float) (internal[s0] + k / size[s0]);
            float inner1 = (float) (internal[s1] + k / size[s1]);
            if (graph.costs()[e] < Math.min(inner0, inner1)) {
                int merged = join(forest, s0, s1);
                size[merged] = size[s0] + size[s1];
                internal[merged] = graph.costs()[e];
            }
        }
        for (int e = 0; e < graph.costs().length; e++) {
            int s0 = root(forest, graph.from()[e]);
            int s1 = root(forest, graph.to()[e]);
            if (s0 != s1 && (size[s0] < minSize || size[s1] < minSize)) {
                int merged = join(forest, s0, s1);
                size[merged] = size[s0] + size[s1];
            }
        }
        int[] labels = new int[n];
        int[] labelOfRoot = new int[n];
        Arrays.fill(labelOfRoot, -1);
        int next = 0;
        for (int p = 0; p < n; p++) {
            int r = root(forest, p);
            if (labelOfRoot[r] < 0) {
                labelOfRoot[r] = next++;
            }
            labels[p] = labelOfRoot[r];
        }
        return labels;
    }

    private static int root(int[] forest, int n) {
        int r = n;
        while (forest[r] < r) {
            r = forest[r];
        }
        return r;
    }

    /** Joins the trees of n and m under the smaller root, pointing every node on both paths at it. */
    private static int join(int[] forest, int n, int m) {
        int r = Math.min(root(forest, n), root(forest, m));
        pointAt(forest, n, r);
        pointAt(forest, m, r);
        return r;
    }

    private static void pointAt(int[] forest, int n, int r) {
        while (forest[n] < n) {
            int next = forest[n];
            forest[n] = r;
            n = next;
        }
        forest[n] = r;
    }
}
