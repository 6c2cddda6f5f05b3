package org.xaiworkbench.cli;

import org.xaiworkbench.data.OutputFiles;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.data.FileStems;
import org.xaiworkbench.data.ImageFolder;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.data.RunFolder;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.AttributionResult;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.MethodSettings;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.explain.cam.GradCam;
import org.xaiworkbench.explain.cam.LayerSaliency;
import org.xaiworkbench.explain.perturbation.Lime;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.viz.ExplanationFigures;
import org.xaiworkbench.viz.Figure;
import org.xaiworkbench.viz.ExplanationFigures.MapView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Explains the trained model's decisions on one CIFAR-10 test image per class plus any pictures in the
 * input folder, with every registered method, writing the seeds' figures under --out.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Write attribution figures for CIFAR-10 test images and your own pictures.")
public final class ExplainCommand implements Callable<Integer> {
    /**
     * Window sizes of the occlusion comparison on a 32 px side, scaled with the input's side: 4, 8 and 12
     * px at stride 4 here, 28, 56 and 84 px at stride 28 on 224 px (the seeds compared 16/32/48 px there).
     */
    static final int[] OCCLUSION_WINDOWS = {4, 8, 12};
    static final int OCCLUSION_STRIDE = 4;
    static final double OCCLUSION_BLUR_SIGMA = 2.0;
    static final String GRAD_CAM_LAYERS = "grad-cam-layers";
    static final String LAYER_SALIENCY = "layer-saliency";
    static final String OCCLUSION_GRID = "occlusion-grid";
    static final String COMPARISON = "all-methods";
    private static final String THUMBNAIL_SUFFIX = ".thumb.png";
    /** What was explained and where each figure went; the report's gallery reads it. */
    public static final String INDEX_FILE = OutputFiles.EXPLAINED;

    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--methods", split = ",", description = "comma list of methods (default: all registered)")
    List<String> methods;
    @Option(names = "--input", defaultValue = "inputs", description = "folder of your own JPEG/PNG pictures, default ${DEFAULT-VALUE}")
    Path input;
    @Option(names = "--per-class", defaultValue = "1", description = "CIFAR-10 test images per class (0: none), default ${DEFAULT-VALUE}")
    int perClass;
    @Option(names = "--score", defaultValue = "logit", description = "logit or probability, for every method, default ${DEFAULT-VALUE}")
    String score;
    @Option(names = "--set", paramLabel = "METHOD.KEY=VALUE",
            description = "a method's option, repeatable, e.g. --set integrated-gradients.steps=100 --set occlusion.windowH=4 "
                    + "(an unknown key lists the valid ones)")
    List<String> set;
    @Option(names = "--top-k", defaultValue = "1", description = "explain the k most probable classes, default ${DEFAULT-VALUE}")
    int topK;
    @Option(names = "--out", defaultValue = "outputs/explain", description = "default ${DEFAULT-VALUE}")
    Path out;
    @Option(names = "--layers", split = ",", description = "modules of the per-module figures (default: every module)")
    List<String> layers;
    @Option(names = "--background", defaultValue = "32",
            description = "random training images used as background by gradient-shap and deep-shap, as the report's "
                    + "DeepExplainer (0: a black image plus uniform noise), default ${DEFAULT-VALUE}")
    int background;
    @Option(names = "--npy", description = "also save every attribution as .npy")
    boolean npy;
    @Option(names = "--extra-figures", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "per-module Grad-CAM, per-layer saliency and the occlusion grid (default: on)")
    boolean extraFigures;

    /** Where this run writes: a folder beside --out that replaces it when the run is complete. */
    private Path runDir;

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
    private record Picture(String name, String stem, INDArray pixels, String truth) {
    }

    @Override
    public Integer call() throws IOException {
        Summary summary = run();
        System.out.printf("%nwrote %d figures under %s%n%n", summary.figures().size(), out);
        System.out.printf("%-34s %12s%n", "method", "s / image");
        summary.secondsPerImage().forEach((method, seconds) -> System.out.printf("%-34s %12.4f%n", method, seconds));
        return 0;
    }

    public Summary run() throws IOException {
        Score chosenScore = parseScore(score);
        if (perClass < 0) {
            throw new IllegalArgumentException("--per-class must be >= 0, got " + perClass);
        }
        List<String> ids = methods == null || methods.isEmpty() ? AttributionRegistry.ids() : methods.stream().map(String::strip).toList();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("--methods: no methods registered or chosen");
        }
        for (String id : ids) {
            if (!AttributionRegistry.ids().contains(id)) {
                throw new IllegalArgumentException("--methods: unknown method '" + id + "', expected some of " + AttributionRegistry.ids());
            }
        }
        ImageClassifier model = modelOption.load(ModelOption.HINT);
        if (topK <= 0 || topK > model.numClasses()) {
            throw new IllegalArgumentException("--top-k must be in 1.." + model.numClasses() + ", got " + topK);
        }
        for (String module : layers == null ? List.<String>of() : layers) {
            if (!model.layerNames().contains(module.strip())) {
                throw new IllegalArgumentException("--layers: '" + module + "' is not a module of the model, expected one of "
                        + model.layerNames());
            }
        }
        // logit is every method's default; only another score is imposed on all of them
        MethodSettings settings = AttributionRegistry.settings(set == null ? List.of() : set, chosenScore == Score.LOGIT ? null : chosenScore);
        for (String method : settings.methods()) {
            if (!ids.contains(method)) {
                throw new IllegalArgumentException(settings.assignments(method) + ": " + method
                        + " is not among --methods " + ids);
            }
        }
        // every method is built, and so checks its options, before anything is written
        INDArray backgroundImages = TrainingBackground.sample(background, "--background");
        MethodContext context = new MethodContext(model, backgroundImages == null ? null : model.fitPictures(backgroundImages), settings);
        Map<String, Attribution> applicable = AttributionRegistry.createApplicable(ids, context, methods != null && !methods.isEmpty(),
                skipped -> System.err.println("warning: " + skipped));
        List<Attribution> attributions = new ArrayList<>(applicable.values());
        List<Picture> pictures = pictures(model);
        if (pictures.isEmpty()) {
            throw new IllegalArgumentException("no images to explain: --per-class is 0 and " + input + " holds no readable pictures");
        }
        Map<String, Long> nanos = new LinkedHashMap<>();
        List<Path> written = new ArrayList<>();
        List<ExplainedImage> explained = new ArrayList<>();
        int stepsPerImage = attributions.size() + (extraFigures ? 2 : 0);
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("explain").setInitialMax((long) pictures.size() * stepsPerImage)
                .setUnit(" maps", 1).setStyle(ProgressBarStyle.ASCII).setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(1000).setMaxRenderedLength(110);
        List<String> nonFinite = new ArrayList<>();
        Index index;
        try (RunFolder run = RunFolder.begin(out, "--out", ExplainCommand::writes)) {
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
            index = new Index(modelOption.toString(), chosenScore.name().toLowerCase(Locale.ROOT), model.classNames(), List.copyOf(applicable.keySet()),
                    options, Instant.now().toString(), explained, perClass > 0 ? Cifar10.classNames(DatasetLocator.standard().batchDir()) : null,
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
        int[] targets = Target.topK(topK).resolve(logits);
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
                if (npy) {
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
        if (extraFigures) {
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
        List<String> modules = layers == null || layers.isEmpty() ? classifier.layerNames() : layers.stream().map(String::strip).toList();
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

    /**
     * CIFAR-10 test images and the pictures in --input, each brought to the model's input size and channels;
     * a picture named like a test image, or like another picture once made safe as a file name, gets figures of its own.
     */
    private List<Picture> pictures(ImageClassifier model) throws IOException {
        List<String> names = new ArrayList<>();
        List<INDArray> pixels = new ArrayList<>();
        List<String> truths = new ArrayList<>();
        if (perClass > 0) {
            Path batchDir = DatasetLocator.standard().batchDir();
            LabeledImages test = Cifar10.readTest(batchDir);
            // the true class is the dataset's, whatever classes the model has
            List<String> cifarClasses = Cifar10.classNames(batchDir);
            int[] taken = new int[cifarClasses.size()];
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                int label = test.labels()[i];
                if (taken[label] < perClass) {
                    taken[label]++;
                    chosen.add(i);
                }
            }
            chosen.sort(Comparator.comparingInt(i -> test.labels()[i]));
            for (int i : chosen) {
                names.add(String.format(Locale.ROOT, "cifar%04d", i));
                pixels.add(model.fitPictures(test.pixelTensor(new int[]{i}, 0, 1)));
                truths.add(cifarClasses.get(test.labels()[i]));
            }
        }
        int[] shape = model.inputShape();
        ImageFolder.Images own = ImageFolder.read(input, System.err::println, Math.max(shape[1], shape[2]),
                modelOption.preprocessing().cropFraction());
        for (int i = 0; i < own.size(); i++) {
            names.add(own.names().get(i));
            pixels.add(model.fitPictures(own.pixels().get(NDArrayIndex.interval(i, i + 1)).dup()));
            truths.add(null);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            labels.add(truths.get(i) == null ? names.get(i) : names.get(i) + " (test image)");
        }
        List<String> stems = FileStems.distinct(names, labels, System.err::println);
        List<Picture> pictures = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            pictures.add(new Picture(names.get(i), stems.get(i), pixels.get(i), truths.get(i)));
        }
        return pictures;
    }

    private static String title(String method, Picture picture, String className, double probability) {
        return String.format(Locale.ROOT, "%s - %s: %s (%.1f%%)%s", method, picture.name(), className, 100 * probability,
                truth(picture));
    }

    private static String truth(Picture picture) {
        return picture.truth() == null ? "" : ", true class " + picture.truth();
    }

    static Score parseScore(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "logit" -> Score.LOGIT;
            case "probability" -> Score.PROBABILITY;
            default -> throw new IllegalArgumentException("--score must be logit or probability, got '" + value + "'");
        };
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
