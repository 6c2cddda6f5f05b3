package org.xaiworkbench.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.data.FileStems;
import org.xaiworkbench.data.ImageFolder;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.ExplanationRun;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.MethodSettings;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.Score;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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


    @Override
    public Integer call() throws IOException {
        ExplanationRun.Summary summary = run();
        System.out.printf("%nwrote %d figures under %s%n%n", summary.figures().size(), out);
        System.out.printf("%-34s %12s%n", "method", "s / image");
        summary.secondsPerImage().forEach((method, seconds) -> System.out.printf("%-34s %12.4f%n", method, seconds));
        return 0;
    }

    public ExplanationRun.Summary run() throws IOException {
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
        MethodContext context = new MethodContext(model, TrainingBackground.forModel(background, "--background", model), settings);
        Map<String, Attribution> applicable = AttributionRegistry.createApplicable(ids, context, methods != null && !methods.isEmpty(),
                skipped -> System.err.println("warning: " + skipped));
        List<ExplanationRun.Picture> pictures = pictures(model);
        if (pictures.isEmpty()) {
            throw new IllegalArgumentException("no images to explain: --per-class is 0 and " + input + " holds no readable pictures");
        }
        return ExplanationRun.write(model, applicable, pictures, new ExplanationRun.Settings(chosenScore, topK,
                layers == null ? List.of() : layers.stream().map(String::strip).toList(), npy, extraFigures, modelOption.toString(),
                perClass > 0 ? Cifar10.classNames(DatasetLocator.standard().batchDir()) : null), out);
    }

    /**
     * CIFAR-10 test images and the pictures in --input, each brought to the model's input size and channels;
     * a picture named like a test image, or like another picture once made safe as a file name, gets figures of its own.
     */
    private List<ExplanationRun.Picture> pictures(ImageClassifier model) throws IOException {
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
        List<ExplanationRun.Picture> pictures = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            pictures.add(new ExplanationRun.Picture(names.get(i), stems.get(i), pixels.get(i), truths.get(i)));
        }
        return pictures;
    }

    static Score parseScore(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "logit" -> Score.LOGIT;
            case "probability" -> Score.PROBABILITY;
            default -> throw new IllegalArgumentException("--score must be logit or probability, got '" + value + "'");
        };
    }

}
