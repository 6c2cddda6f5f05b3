package org.xaiworkbench.cli;

import org.xaiworkbench.attack.AttackGoal;
import org.xaiworkbench.attack.Pgd;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.robustness.RobustnessConfig;
import org.xaiworkbench.robustness.RobustnessReport;
import org.xaiworkbench.robustness.RobustnessRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "robustness", mixinStandardHelpOptions = true,
        description = "Test accuracy under FGSM, PGD, pixel dropout, Gaussian noise and brightness, with per-image figures.")
public final class RobustnessCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--out", defaultValue = "outputs/robustness", description = "CSV, plots, JSON (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--figures-dir", defaultValue = "outputs",
            description = "per-image figures go to <dir>/<fgsm|pgd|pd|noise|brightness>/ (default ${DEFAULT-VALUE})")
    Path figuresDir;
    @Option(names = "--limit", defaultValue = "0", description = "first N test images only (0 = all 10,000)")
    int limit;
    @Option(names = "--batch", defaultValue = "100", description = "default ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--epsilons", defaultValue = "0,1,2,4,8", split = ",",
            description = "attack radii in units of 1/255, from 0 (default ${DEFAULT-VALUE})")
    double[] epsilons;
    @Option(names = "--pgd-steps", defaultValue = "10", description = "default ${DEFAULT-VALUE}")
    int pgdSteps;
    @Option(names = "--pgd-step", defaultValue = "2",
            description = "PGD step size in units of 1/255 at ε = 8/255, scaled with ε (default ${DEFAULT-VALUE})")
    double pgdStep;
    @Option(names = "--no-random-start", description = "start PGD at the image instead of a random point of the ball")
    boolean noRandomStart;
    @Option(names = "--pgd-all-steps",
            description = "take every PGD step even after an image is misclassified (default: stop at the first misclassified iterate)")
    boolean pgdAllSteps;
    @Option(names = "--examples", defaultValue = "10", description = "images drawn per perturbation (default ${DEFAULT-VALUE})")
    int examples;
    @Option(names = "--explained", defaultValue = "3",
            description = "of those, images with saliency and IG before and after PGD (default ${DEFAULT-VALUE})")
    int explained;

    @Override
    public Integer call() throws Exception {
        double[] radii = Arrays.stream(epsilons).map(e -> e / 255).toArray();
        Pgd.Options pgd = new Pgd.Options(Pgd.Options.DEFAULT_EPSILON, pgdStep / 255, pgdSteps, !noRandomStart,
                AttackGoal.UNTARGETED, !pgdAllSteps);
        RobustnessConfig config = new RobustnessConfig(out, figuresDir, limit, batch, seed, radii, pgd,
                RobustnessConfig.DEFAULT_DROPOUT_RATES, RobustnessConfig.DEFAULT_NOISE_SIGMAS,
                RobustnessConfig.DEFAULT_BRIGHTNESS_DELTAS, examples, explained, RobustnessConfig.defaultFigureStrengths());
        GraphClassifier classifier = modelOption.loadGraph(ModelOption.HINT, "robustness");
        CifarModels.requireCifarClassifier(classifier, modelOption);
        Path batchDir = DatasetLocator.standard().batchDir();
        RobustnessReport report = new RobustnessRun(classifier, config, System.out)
                .run(Cifar10.readTest(batchDir), modelOption.toString());
        return report.images() > 0 ? 0 : 1;
    }
}
