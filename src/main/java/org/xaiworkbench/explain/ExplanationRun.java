package org.xaiworkbench.explain;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.FileStems;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.data.OutputFiles;
import org.xaiworkbench.data.RunFolder;
import org.xaiworkbench.explain.cam.GradCam;
import org.xaiworkbench.explain.cam.LayerSaliency;
import org.xaiworkbench.explain.perturbation.Lime;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.viz.ExplanationFigures;
import org.xaiworkbench.viz.ExplanationFigures.MapView;
import org.xaiworkbench.viz.Figure;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An explanation run ({@code make explain}): every picture explained by every method, one figure per method and
 * explained class with its thumbnail, the whole-image figures, and explained.json, written into a folder that
 * replaces the output folder only when the run is complete.
 */
public final class ExplanationRun {
    /**
     * Window sizes of the occlusion comparison on a 32 px side, scaled with the input's side: 4, 8 and 12
     * px at stride 4 here, 28, 56 and 84 px at stride 28 on 224 px (the seeds compared 16/32/48 px there).
     */
    public static final int[] OCCLUSION_WINDOWS = {4, 8, 12};
    public static final int OCCLUSION_STRIDE = 4;
    public static final double OCCLUSION_BLUR_SIGMA = 2.0;
    public static final String GRAD_CAM_LAYERS = "grad-cam-layers";
    public static final String LAYER_SALIENCY = "layer-saliency";
    public static final String OCCLUSION_GRID = "occlusion-grid";
    public static final String COMPARISON = "all-methods";
    private static final String THUMBNAIL_SUFFIX = ".thumb.png";
    /** What was explained and where each figure went; the report's gallery reads it. */
    public static final String INDEX_FILE = OutputFiles.EXPLAINED;

    /** What a run wrote and how long each method took per image. */
    public record Summary(List<Path> figures, Map<String, Double> secondsPerImage, Index index) {
    }

    /**
     * explained.json: the run's settings, every option of every method, and every explained picture;
     * figure paths are relative to --out. Predictions name the model's classes ({@code classNames}),
     * the truth of dataset images the dataset's ({@code datasetClassNames}, null without dataset images).
     * {@code nonFiniteOutputs} names the images for which the model's outputs were NaN or infinite: their
     * predictions and maps mean nothing.
     */
    public record Index(String weights, String score, List<String> classNames, List<String> methods,
                        Map<String, Map<String, Object>> options, String finished, List<ExplainedImage> images,
                        List<String> datasetClassNames, List<String> nonFiniteOutputs) {
        /** An index without dataset images, of a model whose outputs were all finite. */
        public Index(String weights, String score, List<String> classNames, List<String> methods, Map<String, Map<String, Object>> options,
                     String finished, List<ExplainedImage> images) {
            this(weights, score, classNames, methods, options, finished, images, null, List.of());
        }
    }

    /**
     * One explained picture: its true class (null for a picture of your own), the model's probabilities,
     * the explained classes with one figure per method, and the whole-image figures by kind
     * (all-methods, grad-cam-layers, layer-saliency, occlusion-grid).
     */
    public record ExplainedImage(String name, String trueClass, String predictedClass, double[] probabilities,
                                 List<ExplainedClass> targets, Map<String, String> figures) {
    }

    /**
     * One explained class of a picture, each method's figure for it and each method's thumbnail (the map alone
     * with its colour scale, for the page's grid).
     */
    public record ExplainedClass(String className, double probability, Map<String, String> figures, Map<String, String> thumbnails) {
    }

    /** @param stem what its figures' file names start with, distinct from every other picture's */
    public record Picture(String name, String stem, INDArray pixels, String truth) {
    }

    /**
     * How the run explains and what it records: the score every method explains, the classes explained per picture,
     * the modules of the per-module figures (empty: every module), whether maps are also saved as .npy and the
     * whole-image figures drawn, the weights' name and the dataset's class names (null without dataset images).
     */
    public record Settings(Score score, int topK, List<String> layers, boolean npy, boolean extraFigures, String weights,
                           List<String> datasetClassNames) {
    }

    private final Settings settings;
    /** Where this run writes: a folder beside the output that replaces it when the run is complete. */
    private Path runDir;

    private ExplanationRun(Settings settings) {
        this.settings = settings;
    }

    /** Explains {@code pictures} with the {@code applicable} methods into {@code out}. */
    public static Summary write(ImageClassifier model, Map<String, Attribution> applicable, List<Picture> pictures, Settings settings,
                                Path out) throws IOException {
        return new ExplanationRun(settings).run(model, applicable, pictures, out);
    }

    private Summary run(ImageClassifier model, Map<String, Attribution> applicable, List<Picture> pictures, Path out) throws IOException {
        List<Attribution> attributions = new ArrayList<>(applicable.values());
        Score chosenScore = settings.score();
        boolean extraFigures = settings.extraFigures();
        Map<String, Long> nanos = new LinkedHashMap<>();
        List<Path> written = new ArrayList<>();
        List<ExplainedImage> explained = new ArrayList<>();
        int stepsPerImage = attributions.size() + (extraFigures ? 2 : 0);
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("explain").setInitialMax((long) pictures.size() * stepsPerImage)
                .setUnit(" maps", 1).setStyle(ProgressBarStyle.ASCII).setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(1000).setMaxRenderedLength(110);
        List<String> nonFinite = new ArrayList<>();
        Index index;
        try (RunFolder run = RunFolder.begin(out, "--out", ExplanationRun::writes)) {
            runDir = run.path();
            try (ProgressBar progress = bar.build()) {
                for (Picture picture : pictures) {
                    explained.add(explain(picture, model, chosenScore, attributions, nanos, written, nonFinite, progress));
                }
            }
            if (!nonFinite.isEmpty()) {
                System.err.println("warning: the model's outputs are NaN or infinite for " + String.join(", ", nonFinite)
                        + ": their predictions and explanations mean nothing; check the model file and --mean/--std");
            }
            Map<String, Map<String, Object>> options = new LinkedHashMap<>();
            attributions.forEach(method -> options.put(method.id(), method.describeOptions()));
            index = new Index(settings.weights(), chosenScore.name().toLowerCase(Locale.ROOT), model.classNames(), List.copyOf(applicable.keySet()),
                    options, Instant.now().toString(), explained, settings.datasetClassNames(),
                    List.copyOf(nonFinite));
            AtomicFiles.write(runDir.resolve(INDEX_FILE), temp -> ModelStore.JSON.writeValue(temp.toFile(), index));
            run.commit();
            written.replaceAll(run::committed);
        }
        Map<String, Double> secondsPerImage = new LinkedHashMap<>();
        nanos.forEach((method, total) -> secondsPerImage.put(method, total / 1e9 / pictures.size()));
        return new Summary(List.copyOf(written), secondsPerImage, index);
    }

    private ExplainedImage explain(Picture picture, Classifier model, Score chosenScore, List<Attribution> attributions,
                                   Map<String, Long> nanos, List<Path> written, List<String> nonFinite, ProgressBar progress)
            throws IOException {
        INDArray x = picture.pixels();
        double[] probabilities = model.probabilities(x).toDoubleVector();
        List<String> names = model.classNames();
        INDArray logits = model.logits(x);
        if (!Arrays.stream(logits.toDoubleVector()).allMatch(Double::isFinite) || !Arrays.stream(probabilities).allMatch(Double::isFinite)) {
            nonFinite.add(picture.name());
        }
        int[] targets = Target.topK(settings.topK()).resolve(logits);
        List<List<MapView>> rows = new ArrayList<>();
        List<Map<String, String>> targetFigures = new ArrayList<>();
        List<Map<String, String>> targetThumbnails = new ArrayList<>();
        for (int ignored : targets) {
            rows.add(new ArrayList<>());
            targetFigures.add(new LinkedHashMap<>());
            targetThumbnails.add(new LinkedHashMap<>());
        }
        // one copy of the image per target, so every method explains exactly these classes in this order
        INDArray copies = x.repeat(0, targets.length);
        for (Attribution method : attributions) {
            progress.setExtraMessage(picture.name() + " " + method.id());
            AttributionResult result = method.attribute(copies, Target.perImage(targets));
            nanos.merge(method.id(), result.elapsedNanos(), Long::sum);
            for (int r = 0; r < result.rows(); r++) {
                int c = result.targets()[r];
                String stem = picture.stem() + "_" + FileStems.safe(names.get(c));
                MapView view = new MapView(method.id(), result.row(r), method.signed());
                Path png = runDir.resolve(method.id()).resolve(stem + ".png");
                ExplanationFigures.method(title(method.id(), picture, names.get(c), probabilities[c]), x, view,
                        method.id().equals(Lime.ID)).writePng(png);
                written.add(png);
                targetFigures.get(r).put(method.id(), relative(png));
                Path thumbnail = runDir.resolve(method.id()).resolve(stem + THUMBNAIL_SUFFIX);
                Figure.writePng(ExplanationFigures.thumbnail(x, view), thumbnail);
                targetThumbnails.get(r).put(method.id(), relative(thumbnail));
                if (settings.npy()) {
                    NpyFiles.write(runDir.resolve(method.id()).resolve(stem + ".npy"), result.row(r));
                }
                rows.get(r).add(view);
            }
            progress.step();
        }
        List<String> rowCaptions = new ArrayList<>();
        for (int c : targets) {
            rowCaptions.add(String.format(Locale.ROOT, "%s (%.1f%%)", names.get(c), 100 * probabilities[c]));
        }
        Path grid = runDir.resolve(COMPARISON).resolve(picture.stem() + ".png");
        ExplanationFigures.comparison(String.format(Locale.ROOT, "%s: predicted %s (%.1f%%)%s", picture.name(),
                        names.get(targets[0]), 100 * probabilities[targets[0]], truth(picture)), x, rowCaptions, rows,
                names, probabilities).writePng(grid);
        written.add(grid);
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put(COMPARISON, relative(grid));
        if (settings.extraFigures()) {
            int predicted = targets[0];
            String stem = picture.stem() + "_" + FileStems.safe(names.get(predicted));
            String suffix = String.format(Locale.ROOT, " - %s: %s (%.1f%%)%s", picture.name(), names.get(predicted),
                    100 * probabilities[predicted], truth(picture));
            List<Path> moduleFigures = timedAll(nanos, GRAD_CAM_LAYERS + " + " + LAYER_SALIENCY, () -> moduleFigures(model, chosenScore, x,
                    predicted, suffix, stem));
            written.addAll(moduleFigures);
            figures.put(GRAD_CAM_LAYERS, relative(moduleFigures.get(0)));
            figures.put(LAYER_SALIENCY, relative(moduleFigures.get(1)));
            progress.step();
            Path occlusionGrid = timed(nanos, OCCLUSION_GRID, () -> occlusionFigure(model, chosenScore, x, suffix,
                    runDir.resolve(OCCLUSION_GRID).resolve(stem + ".png")));
            written.add(occlusionGrid);
            figures.put(OCCLUSION_GRID, relative(occlusionGrid));
            progress.step();
        }
        List<ExplainedClass> explainedClasses = new ArrayList<>();
        for (int r = 0; r < targets.length; r++) {
            explainedClasses.add(new ExplainedClass(names.get(targets[r]), probabilities[targets[r]], targetFigures.get(r),
                    targetThumbnails.get(r)));
        }
        return new ExplainedImage(picture.name(), picture.truth(), names.get(targets[0]), probabilities, explainedClasses, figures);
    }

    /** Whether {@code entry} of --out is one that explain writes: every run replaces them all. */
    private static boolean writes(String entry) {
        return AttributionRegistry.ids().contains(entry) || List.of(INDEX_FILE, COMPARISON, GRAD_CAM_LAYERS, LAYER_SALIENCY,
                OCCLUSION_GRID).contains(entry);
    }

    /** A figure's path relative to --out, with forward slashes on every system. */
    private String relative(Path figure) {
        return runDir.relativize(figure).toString().replace(File.separatorChar, '/');
    }

    /**
     * Grad-CAM and saliency of every chosen module, both from one capture per module: the report's
     * walk through conv_layers.0-14.
     */
    private List<Path> moduleFigures(Classifier classifier, Score score, INDArray x, int predicted, String suffix, String stem)
            throws IOException {
        List<String> modules = settings.layers().isEmpty() ? classifier.layerNames() : settings.layers();
        GradCam gradCam = new GradCam(classifier);
        List<MapView> cams = new ArrayList<>();
        List<MapView> saliencies = new ArrayList<>();
        int height = (int) x.size(2);
        int width = (int) x.size(3);
        for (String module : modules) {
            LayerCapture capture = classifier.capture(x, module, new int[]{predicted}, score);
            cams.add(new MapView(module, gradCam.fromCapture(capture, height, width), false));
            saliencies.add(new MapView(module, LayerSaliency.fromCapture(capture, height, width), false));
        }
        Path camPng = runDir.resolve(GRAD_CAM_LAYERS).resolve(stem + ".png");
        ExplanationFigures.series("Grad-CAM of every module" + suffix, x, cams, 8).writePng(camPng);
        Path saliencyPng = runDir.resolve(LAYER_SALIENCY).resolve(stem + ".png");
        ExplanationFigures.series("Saliency of every module's activation (max |gradient| over channels)" + suffix, x,
                saliencies, 8).writePng(saliencyPng);
        return List.of(camPng, saliencyPng);
    }

    /** @param titleSuffix what follows the figure's title, e.g. " - cat0: cat (87.0%)" */
    private static Path occlusionFigure(Classifier classifier, Score score, INDArray x, String titleSuffix, Path png) throws IOException {
        Baseline.Kind[] baselines = {Baseline.Kind.ZERO, Baseline.Kind.BLUR};
        List<String> rowLabels = new ArrayList<>();
        List<List<MapView>> cells = new ArrayList<>();
        int height = (int) x.size(2);
        int width = (int) x.size(3);
        int strideH = Occlusion.scaledToSide(OCCLUSION_STRIDE, height);
        int strideW = Occlusion.scaledToSide(OCCLUSION_STRIDE, width);
        for (int reference : OCCLUSION_WINDOWS) {
            int windowH = Occlusion.scaledToSide(reference, height);
            int windowW = Occlusion.scaledToSide(reference, width);
            rowLabels.add("window " + windowH + (windowH == windowW ? "" : "x" + windowW));
            List<MapView> row = new ArrayList<>();
            for (Baseline.Kind baseline : baselines) {
                Occlusion occlusion = new Occlusion(classifier, new Occlusion.Options(windowH, windowW, strideH, strideW, baseline,
                        OCCLUSION_BLUR_SIGMA, 64, score));
                row.add(new MapView(windowH + "x" + windowW + ", " + baseline.name().toLowerCase(Locale.ROOT),
                        occlusion.attribute(x, Target.predicted()).attributions(), true));
            }
            cells.add(row);
        }
        String title = "Occlusion: window x baseline, stride " + strideH + (strideH == strideW ? "" : "x" + strideW) + titleSuffix;
        ExplanationFigures.settingsGrid(title, x, rowLabels, cells).writePng(png);
        return png;
    }

    private static String title(String method, Picture picture, String className, double probability) {
        return String.format(Locale.ROOT, "%s - %s: %s (%.1f%%)%s", method, picture.name(), className, 100 * probability,
                truth(picture));
    }

    private static String truth(Picture picture) {
        return picture.truth() == null ? "" : ", true class " + picture.truth();
    }

    @FunctionalInterface
    private interface Steps {
        List<Path> run() throws IOException;
    }

    private static List<Path> timedAll(Map<String, Long> nanos, String name, Steps steps) throws IOException {
        long start = System.nanoTime();
        List<Path> written = steps.run();
        nanos.merge(name, System.nanoTime() - start, Long::sum);
        return written;
    }

    @FunctionalInterface
    private interface Step {
        Path run() throws IOException;
    }

    private static Path timed(Map<String, Long> nanos, String name, Step step) throws IOException {
        long start = System.nanoTime();
        Path written = step.run();
        nanos.merge(name, System.nanoTime() - start, Long::sum);
        return written;
    }
}
