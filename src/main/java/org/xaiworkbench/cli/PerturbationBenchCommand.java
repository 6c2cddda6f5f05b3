package org.xaiworkbench.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.explain.AttributionResult;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.explain.perturbation.GridSegmentation;
import org.xaiworkbench.explain.perturbation.KernelShap;
import org.xaiworkbench.explain.perturbation.Lime;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.explain.perturbation.Segmentation;
import org.xaiworkbench.explain.perturbation.SlicSegmentation;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.vgg.VggClassifiers;
import org.xaiworkbench.model.vgg.VggSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Seconds per image (one image per call, segmentation included) of the perturbation methods on
 * CIFAR-10 test images, beside the Python peers measured on this machine.
 */
@Command(name = "bench-perturbation", mixinStandardHelpOptions = true,
        description = "Time LIME (1,000 samples, 8x8 grid and SLIC), KernelSHAP and occlusion (8x8 window, stride 4) per image.")
public final class PerturbationBenchCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--untrained", description = "time a randomly initialised VGG13 instead of --model (same cost per forward pass; maps meaningless)")
    boolean untrained;
    @Option(names = "--images", defaultValue = "3", description = "timed test images per method (default ${DEFAULT-VALUE})")
    int images;
    @Option(names = "--warmup", defaultValue = "1", description = "untimed images first (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--batch", defaultValue = "64", description = "perturbations per forward pass (default ${DEFAULT-VALUE})")
    int batch;

    /** One benchmarked configuration: its seconds per image and the peer's figure. */
    public record Timing(String method, double secondsPerImage, String peer, String note) {
    }

    @Override
    public Integer call() throws IOException {
        if (images <= 0 || warmup < 0 || batch <= 0) {
            throw new IllegalArgumentException("--images and --batch must be > 0 and --warmup >= 0, got " + images + ", "
                    + batch + ", " + warmup);
        }
        Path batchDir = DatasetLocator.standard().batchDir();
        GraphClassifier classifier = untrained ? VggClassifiers.untrained(Cifar10.classNames(batchDir)) : trained();
        LabeledImages test = Cifar10.readTest(batchDir);
        INDArray x = classifier.fitPictures(test.pixelTensor(0, Math.min(test.size(), warmup + images)));
        System.out.println("backend: " + Backend.describe() + (untrained ? " (untrained weights)" : ", weights " + modelOption));
        System.out.printf(Locale.ROOT, "%-34s %10s   %-28s %s%n", "method", "s/img", "peer s/img (this machine)", "notes");
        for (Timing t : run(classifier, x)) {
            System.out.printf(Locale.ROOT, "%-34s %10.3f   %-28s %s%n", t.method(), t.secondsPerImage(), t.peer(), t.note());
        }
        return 0;
    }

    /** Times every configuration over x's images after the first {@code warmup}. */
    public List<Timing> run(Classifier classifier, INDArray x) {
        Map<String, Function<Classifier, Attribution>> configs = new LinkedHashMap<>();
        configs.put("lime, 8x8 grid, 1000 samples", c -> new Lime(c, limeOptions(new GridSegmentation(8, 8))));
        configs.put("lime, slic, 1000 samples", c -> new Lime(c, limeOptions(new SlicSegmentation())));
        configs.put("kernel-shap, slic, 1000 samples", c -> new KernelShap(c, shapOptions(new SlicSegmentation())));
        configs.put("kernel-shap, 8x8 grid, 1000 samples", c -> new KernelShap(c, shapOptions(new GridSegmentation(8, 8))));
        configs.put("occlusion, 8x8 stride 4, blur", c -> new Occlusion(c, occlusionOptions()));
        Map<String, String> peers = Map.of(
                "lime, 8x8 grid, 1000 samples", "2.4 (lime) / 2.6 (Captum)",
                "lime, slic, 1000 samples", "2.4 (lime) / 2.6 (Captum)",
                "occlusion, 8x8 stride 4, blur", "0.12 (Captum)");
        List<Timing> timings = new ArrayList<>();
        for (Map.Entry<String, Function<Classifier, Attribution>> config : configs.entrySet()) {
            Attribution method = config.getValue().apply(classifier);
            for (int i = 0; i < warmup; i++) {
                method.attribute(image(x, i), Target.predicted());
            }
            long start = System.nanoTime();
            AttributionResult last = null;
            for (int i = warmup; i < x.size(0); i++) {
                last = method.attribute(image(x, i), Target.predicted());
            }
            double seconds = (System.nanoTime() - start) / 1e9 / (x.size(0) - warmup);
            timings.add(new Timing(config.getKey(), seconds, peers.getOrDefault(config.getKey(), "-"), note(last)));
        }
        return timings;
    }

    private Lime.Options limeOptions(Segmentation segmentation) {
        Lime.Options o = Lime.Options.defaults();
        return new Lime.Options(o.samples(), segmentation, o.hideColor(), o.kernelWidth(), o.ridgeAlpha(), batch, o.score(),
                o.seed());
    }

    private KernelShap.Options shapOptions(Segmentation segmentation) {
        KernelShap.Options o = KernelShap.Options.defaults();
        return new KernelShap.Options(o.samples(), segmentation, o.hideColor(), batch, o.score(), o.seed());
    }

    private Occlusion.Options occlusionOptions() {
        Occlusion.Options o = Occlusion.Options.defaults(VggSpec.INPUT_SIZE, VggSpec.INPUT_SIZE);
        return new Occlusion.Options(o.windowH(), o.windowW(), o.strideH(), o.strideW(), o.baseline(), o.blurSigma(), batch,
                o.score());
    }

    private static String note(AttributionResult result) {
        if (result == null) {
            return "";
        }
        StringBuilder note = new StringBuilder();
        Object r2 = result.options().get("weightedR2");
        if (r2 != null) {
            note.append("local fit R2 ").append(r2);
        }
        if (result.convergenceDelta() != null) {
            note.append(String.format(Locale.ROOT, "completeness delta %.2e", result.convergenceDelta()[0]));
        }
        return note.toString();
    }

    private static INDArray image(INDArray x, int i) {
        return x.get(NDArrayIndex.interval(i, i + 1));
    }

    private GraphClassifier trained() throws IOException {
        return modelOption.loadGraph("run make train, or use --untrained for timings only", "bench-perturbation");
    }
}
