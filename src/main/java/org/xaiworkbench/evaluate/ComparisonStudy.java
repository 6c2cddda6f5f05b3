package org.xaiworkbench.evaluate;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.explain.gradient.IntegratedGradients;
import org.xaiworkbench.explain.gradient.NoiseTunnel;
import org.xaiworkbench.explain.gradient.Saliency;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.viz.ExplanationFigures;
import org.xaiworkbench.viz.ExplanationFigures.MapView;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The comparison document's study (seeds, 004) at 32×32: a 3×3 SmoothGrad grid, every method for the
 * top-3 classes with the probability bars, and a counterfactual that occludes the region occlusion
 * ranks most important and shows what the probabilities and the IG and SmoothGrad maps do.
 */
public final class ComparisonStudy {
    /** The seeds' n_samples and stdev (here in pixel units, images in [0,1]). */
    static final int[] SMOOTHGRAD_SAMPLES = {5, 25, 125};
    static final double[] SMOOTHGRAD_STDEVS = {0.01, 0.05, 0.25};
    static final int TOP_CLASSES = 3;
    static final int COUNTERFACTUAL_WINDOW = 8;

    private final Classifier classifier;
    private final MethodSuite suite;
    private final int[] box;
    private final ImageNames names;

    /**
     * @param box   the counterfactual's region top,left,height,width; null for the window occlusion ranks first
     * @param names what the figures call each sample, and its true class where it has one
     */
    public ComparisonStudy(Classifier classifier, MethodSuite suite, int[] box, ImageNames names) {
        this.classifier = classifier;
        this.suite = suite;
        this.box = box == null ? null : box.clone();
        this.names = names;
    }

    /** Fails with the flag's name when the given box does not fit an image shaped like {@code like}. */
    public void checkBox(Sample like) {
        if (box == null) {
            return;
        }
        if (box.length != 4 || box[0] < 0 || box[1] < 0 || box[2] <= 0 || box[3] <= 0 || box[0] + box[2] > like.height()
                || box[1] + box[3] > like.width()) {
            throw new IllegalArgumentException("--box " + Arrays.toString(box) + " does not fit a " + like.height() + "x" + like.width()
                    + " image (top,left,height,width)");
        }
    }

    /** The three figures of each sample, under {@code dir}/smoothgrad-grid, top3-all-methods and counterfactual. */
    public List<Path> write(List<Sample> samples, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Sample sample : samples) {
            String stem = names.name(sample);
            INDArray original = tensor(List.of(sample.pixels()), sample);
            written.add(smoothGradGrid(sample, original, dir.resolve("smoothgrad-grid").resolve(stem + ".png")));
            written.add(topClasses(sample, original, dir.resolve("top3-all-methods").resolve(stem + ".png")));
            written.add(counterfactual(sample, original, dir.resolve("counterfactual").resolve(stem + ".png")));
        }
        return written;
    }

    private Path smoothGradGrid(Sample sample, INDArray original, Path png) throws IOException {
        List<String> labels = new ArrayList<>();
        List<List<MapView>> cells = new ArrayList<>();
        for (int n : SMOOTHGRAD_SAMPLES) {
            labels.add(n + " samples");
            List<MapView> row = new ArrayList<>();
            for (double stdev : SMOOTHGRAD_STDEVS) {
                NoiseTunnel smoothGrad = new NoiseTunnel("smoothgrad", new Saliency(classifier),
                        new NoiseTunnel.Options(NoiseTunnel.Variant.SMOOTHGRAD, n, stdev, 64, Score.LOGIT, 0L));
                row.add(new MapView("stdev " + stdev, smoothGrad.attribute(original, Target.fixed(sample.target())).attributions(), false));
            }
            cells.add(row);
        }
        ExplanationFigures.settingsGrid(String.format(Locale.ROOT, "SmoothGrad: samples x noise stdev (pixel units) - %s, %s",
                names.name(sample), classifier.classNames().get(sample.target())), original, labels, cells).writePng(png);
        return png;
    }

    private Path topClasses(Sample sample, INDArray original, Path png) throws IOException {
        double[] probabilities = probabilities(sample.logits());
        int[] top = Target.topK(TOP_CLASSES).resolve(tensorOf(sample.logits()));
        List<double[]> copies = new ArrayList<>();
        for (int ignored : top) {
            copies.add(sample.pixels());
        }
        List<List<MapView>> rows = new ArrayList<>();
        for (int ignored : top) {
            rows.add(new ArrayList<>());
        }
        for (String id : suite.ids()) {
            if (suite.isControl(id)) {
                continue;
            }
            double[][] maps = suite.explain(id, classifier, copies, sample, top);
            for (int r = 0; r < top.length; r++) {
                rows.get(r).add(new MapView(id, mapTensor(maps[r], sample), suite.signed(id)));
            }
        }
        List<String> captions = new ArrayList<>();
        List<String> classNames = classifier.classNames();
        for (int c : top) {
            captions.add(String.format(Locale.ROOT, "%s (%.1f%%)", classNames.get(c), 100 * probabilities[c]));
        }
        String truth = names.truth(sample);
        ExplanationFigures.comparison(String.format(Locale.ROOT, "Every method for the top-%d classes - %s%s", top.length,
                names.name(sample), truth == null ? "" : ", true class " + truth), original, captions, rows, classNames, probabilities)
                .writePng(png);
        return png;
    }

    private Path counterfactual(Sample sample, INDArray original, Path png) throws IOException {
        int[] region = box != null ? box : mostImportantWindow(sample);
        double[] occluded = sample.pixels().clone();
        int plane = sample.pixelCount();
        for (int c = 0; c < sample.channels(); c++) {
            for (int y = region[0]; y < region[0] + region[2]; y++) {
                for (int x = region[1]; x < region[1] + region[3]; x++) {
                    occluded[c * plane + y * sample.width() + x] = 0;
                }
            }
        }
        INDArray after = tensor(List.of(occluded), sample);
        double[] before = probabilities(sample.logits());
        double[] then = probabilities(HostValues.of(classifier.logits(after)));
        List<List<MapView>> maps = new ArrayList<>();
        for (double[] image : List.of(sample.pixels(), occluded)) {
            INDArray x = tensor(List.of(image), sample);
            List<MapView> row = new ArrayList<>();
            row.add(new MapView(IntegratedGradients.ID, new IntegratedGradients(classifier).attribute(x, Target.fixed(sample.target()))
                    .attributions(), true));
            row.add(new MapView("smoothgrad", AttributionRegistry.create("smoothgrad", classifier)
                    .attribute(x, Target.fixed(sample.target())).attributions(), false));
            maps.add(row);
        }
        String name = classifier.classNames().get(sample.target());
        String title = String.format(Locale.ROOT, "Counterfactual - %s: %s %.1f%% -> %.1f%% (%+.1f points) with rows %d-%d, "
                        + "columns %d-%d blacked out", names.name(sample), name, 100 * before[sample.target()], 100 * then[sample.target()],
                100 * (then[sample.target()] - before[sample.target()]), region[0], region[0] + region[2] - 1, region[1],
                region[1] + region[3] - 1);
        ExplanationFigures.counterfactual(title, List.of("before", "occluded"), List.of(original, after), maps,
                classifier.classNames(), List.of(before, then)).writePng(png);
        return png;
    }

    /** The 8×8 window (any position) holding the most occlusion attribution for the explained class. */
    int[] mostImportantWindow(Sample sample) {
        INDArray x = tensor(List.of(sample.pixels()), sample);
        double[] map = Maps.pixelMap(HostValues.of(new Occlusion(classifier).attribute(x, Target.fixed(sample.target()))
                .attributions()), sample);
        int window = Math.min(COUNTERFACTUAL_WINDOW, Math.min(sample.height(), sample.width()));
        int[] best = {0, 0, window, window};
        double bestSum = Double.NEGATIVE_INFINITY;
        for (int top = 0; top + window <= sample.height(); top++) {
            for (int left = 0; left + window <= sample.width(); left++) {
                double sum = 0;
                for (int y = top; y < top + window; y++) {
                    for (int x0 = left; x0 < left + window; x0++) {
                        sum += map[y * sample.width() + x0];
                    }
                }
                if (sum > bestSum) {
                    bestSum = sum;
                    best = new int[]{top, left, window, window};
                }
            }
        }
        return best;
    }

    private static double[] probabilities(double[] logits) {
        double[] out = new double[logits.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = Probe.score(logits, c, Score.PROBABILITY);
        }
        return out;
    }

    private static INDArray tensorOf(double[] logits) {
        return HostValues.array(logits, new long[]{1, logits.length}, DataType.DOUBLE);
    }

    private static INDArray mapTensor(double[] map, Sample like) {
        int channels = map.length / like.pixelCount();
        return HostValues.array(map, new long[]{1, channels, like.height(), like.width()}, DataType.FLOAT);
    }

    private static INDArray tensor(List<double[]> images, Sample like) {
        return Maps.batch(images, like, DataType.FLOAT);
    }
}
