package org.xaiworkbench.robustness;

import org.xaiworkbench.data.OutputFiles;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.attack.AttackGoal;
import org.xaiworkbench.attack.Fgsm;
import org.xaiworkbench.attack.Pgd;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.viz.RobustnessFigures;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A robustness study of one classifier: accuracy against strength for FGSM, PGD and three
 * corruptions over the test images (CSV, one plot per curve, one summary plot), per-image figures of
 * each perturbation, saliency and Integrated Gradients before and after PGD, and a JSON record.
 */
public final class RobustnessRun {
    public static final String CSV_FILE = "accuracy.csv";
    public static final String EXPLANATIONS_DIR = "explanations";

    private final Classifier classifier;
    private final RobustnessConfig config;
    private final PrintStream out;

    public RobustnessRun(Classifier classifier, RobustnessConfig config, PrintStream out) {
        this.classifier = classifier;
        this.config = config;
        this.out = out;
    }

    /** The five series of the study, in the order plots and the CSV list them. */
    public List<SweepSeries> series() {
        return series(config.pgd());
    }

    /**
     * The figures show PGD taking all its steps even where it stops early in the sweep: an image the
     * model already gets wrong would otherwise show only the random start.
     */
    private List<SweepSeries> figureSeries() {
        return series(config.pgd().withStopWhenFooled(false));
    }

    private List<SweepSeries> series(Pgd.Options pgd) {
        String pgdTitle = String.format(Locale.ROOT, "PGD-%d", pgd.steps());
        return List.of(
                new SweepSeries("fgsm", "FGSM", "epsilon", config.epsilons(), 255, "ε (× 1/255)",
                        Perturbation.ofAttack(eps -> new Fgsm(classifier, new Fgsm.Options(eps, AttackGoal.UNTARGETED)))),
                new SweepSeries("pgd", pgdTitle, "epsilon", config.epsilons(), 255, "ε (× 1/255)",
                        Perturbation.ofAttack(eps -> new Pgd(classifier, pgd.scaledTo(eps)))),
                new SweepSeries("pd", "pixel dropout", "rate", config.dropoutRates(), 1, "dropout rate",
                        Perturbation.of(new PixelDropout())),
                new SweepSeries("noise", "Gaussian noise", "sigma", config.noiseSigmas(), 1, "noise σ (pixel units)",
                        Perturbation.of(new GaussianNoise())),
                new SweepSeries("brightness", "brightness", "delta", config.brightnessDeltas(), 1,
                        "brightness shift ±δ (pixel units)", Perturbation.of(new Brightness())));
    }

    /**
     * @param test      the test set (the first {@code config.limit()} images are used, all when 0); an image's
     *                  position in it names its figures
     * @param modelName what was loaded, for the record
     */
    public RobustnessReport run(LabeledImages test, String modelName) throws IOException {
        long started = System.nanoTime();
        LabeledImages images = config.limit() == 0 || config.limit() >= test.size() ? test : test.range(0, config.limit());
        List<SweepSeries> series = series();
        // Backend.describe reads NativeOpsHolder, which fails unless the Nd4j class has initialized first
        Nd4j.getExecutioner();
        String backend = Backend.describe();
        out.printf("backend: %s; sweeping %d test images%n", backend, images.size());
        List<AccuracyCurve> curves = sweep(images, series);

        Path outDir = config.outDir();
        AccuracyPlots.writeCsv(curves, outDir.resolve(CSV_FILE));
        for (int s = 0; s < curves.size(); s++) {
            AccuracyPlots.writeCurve(curves.get(s), series.get(s), outDir.resolve(OutputFiles.accuracyFigure(curves.get(s).id())));
        }
        AccuracyPlots.writeSummary(curves, series, outDir.resolve(OutputFiles.ROBUSTNESS_SUMMARY_FIGURE));

        int[] exampleIds = exampleImages(images, config.examples());
        List<RobustnessReport.Example> examples = exampleFigures(images, exampleIds, figureSeries());
        List<ExplanationShift.Shift> shifts = List.of();
        String explanationNote = "not requested";
        if (config.explained() > 0) {
            shifts = explanationFigures(images, Arrays.copyOf(exampleIds, Math.min(config.explained(), exampleIds.length)),
                    figureSeries().stream().filter(one -> one.id().equals("pgd")).findFirst().orElseThrow());
            explanationNote = shifts.isEmpty() ? "skipped: saliency or integrated-gradients is not registered"
                    : "cosine similarity of |attribution| maps (channels summed), each image explained for its predicted class";
        }

        RobustnessReport report = new RobustnessReport(modelName, backend, images.size(),
                (System.nanoTime() - started) / 1e9, config.describe(),
                curves.stream().map(RobustnessReport.Curve::of).toList(), examples, shifts, explanationNote);
        AtomicFiles.write(outDir.resolve(OutputFiles.ROBUSTNESS), temp -> ModelStore.JSON.writeValue(temp.toFile(), report));
        for (AccuracyCurve curve : curves) {
            out.printf("%-15s %s%n", curve.title(), accuracyLine(curve, series.get(curves.indexOf(curve))));
        }
        out.printf("wrote %s (%.0f s)%n", outDir, report.seconds());
        return report;
    }

    private List<AccuracyCurve> sweep(LabeledImages images, List<SweepSeries> series) {
        AccuracySweep sweep = new AccuracySweep(classifier, series, config.batch(), config.seed());
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("robustness").setInitialMax(images.size())
                .setUnit(" img", 1).showSpeed().setStyle(ProgressBarStyle.ASCII).setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(1000).setMaxRenderedLength(120);
        try (ProgressBar progress = bar.build()) {
            return sweep.run(images, (done, soFar) -> {
                progress.stepTo(done);
                progress.setExtraMessage(strongestAccuracies(soFar));
            });
        }
    }

    /** Accuracy of each curve at its largest strength, for the progress bar. */
    private static String strongestAccuracies(List<AccuracyCurve> curves) {
        StringBuilder text = new StringBuilder(String.format("| clean %.0f%%", 100 * curves.get(0).accuracy(0)));
        for (AccuracyCurve curve : curves) {
            text.append(String.format(" %s %.0f%%", curve.id(), 100 * curve.accuracy(curve.strengths().length - 1)));
        }
        return text.toString();
    }

    private static String accuracyLine(AccuracyCurve curve, SweepSeries series) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < curve.strengths().length; i++) {
            text.append(String.format("  %s: %.2f%%", strengthText(series, curve.strengths()[i]), 100 * curve.accuracy(i)));
        }
        return text.toString();
    }

    /** "PGD-10 ε=8/255", "pixel dropout rate 0.1". */
    static String label(SweepSeries series, double strength) {
        return series.axisScale() == 255 ? series.title() + " ε=" + strengthText(series, strength)
                : series.title() + " " + series.strengthName() + " " + strengthText(series, strength);
    }

    /** "8/255" for attacks, "0.1" for corruptions. */
    static String strengthText(SweepSeries series, double strength) {
        return series.axisScale() == 255 ? compact(strength * 255) + "/255" : compact(strength);
    }

    private static String compact(double value) {
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** The first image of each class in order of class, then the next unused images, up to count. */
    static int[] exampleImages(LabeledImages images, int count) {
        int n = Math.min(count, images.size());
        List<Integer> chosen = new ArrayList<>();
        int numClasses = Arrays.stream(images.labels()).max().orElse(-1) + 1;
        for (int c = 0; c < numClasses && chosen.size() < n; c++) {
            for (int i = 0; i < images.size(); i++) {
                if (images.labels()[i] == c) {
                    chosen.add(i);
                    break;
                }
            }
        }
        for (int i = 0; i < images.size() && chosen.size() < n; i++) {
            if (!chosen.contains(i)) {
                chosen.add(i);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<RobustnessReport.Example> exampleFigures(LabeledImages images, int[] ids, List<SweepSeries> series)
            throws IOException {
        List<RobustnessReport.Example> examples = new ArrayList<>();
        if (ids.length == 0) {
            return examples;
        }
        INDArray x = images.pixelTensor(ids, 0, ids.length);
        int[] labels = labelsOf(images, ids);
        INDArray before = classifier.probabilities(x);
        List<String> names = classifier.classNames();
        for (int s = 0; s < series.size(); s++) {
            SweepSeries one = series.get(s);
            double strength = config.figureStrength(one.id());
            INDArray perturbed = one.perturbation().apply(x, labels, strength, AccuracySweep.batchSeed(config.seed(), s, -1));
            INDArray after = classifier.probabilities(perturbed);
            String label = label(one, strength);
            for (int i = 0; i < ids.length; i++) {
                RobustnessFigures.Prediction p0 = prediction(before, i, names);
                RobustnessFigures.Prediction p1 = prediction(after, i, names);
                Path png = config.figuresDir().resolve(one.id()).resolve(ids[i] + "_" + names.get(labels[i]) + ".png");
                RobustnessFigures.perturbation(String.format("test image %d (true: %s), %s", ids[i], names.get(labels[i]), label),
                        ExplanationShift.row(x, i), ExplanationShift.row(perturbed, i), label, p0, p1, png);
                examples.add(new RobustnessReport.Example(one.id(), ids[i], names.get(labels[i]), strength, p0.className(),
                        p0.probability(), p1.className(), p1.probability(), png.toString()));
            }
        }
        return examples;
    }

    private List<ExplanationShift.Shift> explanationFigures(LabeledImages images, int[] ids, SweepSeries attack)
            throws IOException {
        if (ids.length == 0) {
            return List.of();
        }
        INDArray x = images.pixelTensor(ids, 0, ids.length);
        int[] labels = labelsOf(images, ids);
        double strength = config.figureStrength(attack.id());
        INDArray adversarial = attack.perturbation().apply(x, labels, strength, AccuracySweep.batchSeed(config.seed(), 1, -1));
        String label = label(attack, strength);
        return ExplanationShift.run(classifier, x, adversarial, ids, labels, label,
                config.outDir().resolve(EXPLANATIONS_DIR), out);
    }

    private static int[] labelsOf(LabeledImages images, int[] ids) {
        int[] labels = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            labels[i] = images.labels()[ids[i]];
        }
        return labels;
    }

    private static RobustnessFigures.Prediction prediction(INDArray probabilities, int i, List<String> names) {
        int best = probabilities.getRow(i).argMax().getInt(0);
        return new RobustnessFigures.Prediction(names.get(best), probabilities.getDouble(i, best));
    }
}
