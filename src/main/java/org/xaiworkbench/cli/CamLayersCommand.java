package org.xaiworkbench.cli;

import org.xaiworkbench.data.OutputFiles;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.data.RunFolder;
import org.xaiworkbench.explain.cam.AbstractCam;
import org.xaiworkbench.explain.cam.GradCam;
import org.xaiworkbench.explain.cam.GradCamPlusPlus;
import org.xaiworkbench.explain.cam.LayerSurvey;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.viz.Charts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Grad-CAM and Grad-CAM++ at every module over the first test images: how often each module's map is dark. */
@Command(name = "cam-layers", mixinStandardHelpOptions = true,
        description = "Share of test images whose Grad-CAM / Grad-CAM++ map is dark (all zero) at each module, and the lit area.")
public final class CamLayersCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--images", defaultValue = "1000", description = "first N test images, default ${DEFAULT-VALUE}")
    int images;
    @Option(names = "--batch", defaultValue = "100", description = "images per call, default ${DEFAULT-VALUE}")
    int batch;
    private static final String CSV_FILE = OutputFiles.CAM_LAYERS_TABLE;
    private static final String CHART_FILE = OutputFiles.CAM_LAYERS_FIGURE;
    /** What the run was over: the report names its weights and dates it by when it finished. */
    private static final String RUN_FILE = OutputFiles.CAM_LAYERS_RUN;

    @Option(names = "--out", defaultValue = "outputs/cam-layers", description = "CSV and chart, default ${DEFAULT-VALUE}")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (images <= 0 || images > 10_000 || batch <= 0) {
            throw new IllegalArgumentException("--images must be in 1..10000 and --batch > 0, got " + images + ", " + batch);
        }
        GraphClassifier classifier = modelOption.loadGraph(ModelOption.HINT, "cam-layers (layer captures)");
        LabeledImages test = Cifar10.readTest(DatasetLocator.standard().batchDir());
        INDArray pixels = classifier.fitPictures(test.pixelTensor(0, images));
        List<String> layers = classifier.layerNames();
        Map<String, AbstractCam> methods = new LinkedHashMap<>();
        methods.put(GradCam.ID, new GradCam(classifier));
        methods.put(GradCamPlusPlus.ID, new GradCamPlusPlus(classifier));
        Map<String, List<LayerSurvey.Row>> results;
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("cam-layers").setInitialMax(layers.size())
                .setUnit(" modules", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setMaxRenderedLength(100);
        try (RunFolder run = RunFolder.begin(out, "--out", entry -> entry.equals(CSV_FILE) || entry.equals(CHART_FILE)
                || entry.equals(RUN_FILE))) {
            try (ProgressBar progress = bar.build()) {
                results = LayerSurvey.run(classifier, pixels, layers, methods, batch, l -> progress.step());
            }
            StringBuilder csv = new StringBuilder("method,layer,images,dark_share,lit_area\n");
            System.out.printf(Locale.ROOT, "%-16s %22s %22s%n", "module", "grad-cam dark / lit", "grad-cam++ dark / lit");
            for (int l = 0; l < layers.size(); l++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s", layers.get(l)));
                for (Map.Entry<String, List<LayerSurvey.Row>> method : results.entrySet()) {
                    LayerSurvey.Row row = method.getValue().get(l);
                    csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.4f%n", method.getKey(), row.layer(), row.images(),
                            row.darkShare(), row.litArea()));
                    line.append(String.format(Locale.ROOT, " %10.1f%% / %6.1f%%", 100 * row.darkShare(), 100 * row.litArea()));
                }
                System.out.println(line);
            }
            AtomicFiles.writeString(run.path().resolve(CSV_FILE), csv.toString());
            Map<String, double[]> darkShares = new LinkedHashMap<>();
            results.forEach((method, rows) -> darkShares.put(method, rows.stream().mapToDouble(LayerSurvey.Row::darkShare).toArray()));
            Charts.darkMapShares("Dark maps per module over " + images + " test images",
                    layers.stream().map(name -> name.replace("conv_layers.", "")).toList(), darkShares, run.path().resolve(CHART_FILE));
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("weights", modelOption.toString());
            record.put("images", images);
            record.put("finished", java.time.Instant.now().toString());
            AtomicFiles.writeString(run.path().resolve(RUN_FILE),
                    new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(record));
            run.commit();
        }
        System.out.println("wrote " + out.resolve(CSV_FILE) + " and " + CHART_FILE + " (" + images + " test images)");
        return 0;
    }
}
