package org.xaiworkbench.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.attack.AttackGoal;
import org.xaiworkbench.attack.Pgd;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.vgg.VggClassifiers;
import org.xaiworkbench.robustness.AccuracySweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "bench-robustness", mixinStandardHelpOptions = true,
        description = "Time PGD (L∞, ε 8/255, step 2/255, random start) over test images on the trained model.")
public final class RobustnessBenchCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();
    @Option(names = "--images", defaultValue = "1000", description = "test images attacked (default ${DEFAULT-VALUE})")
    int images;
    @Option(names = "--batch", defaultValue = "100", description = "default ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--steps", defaultValue = "10", description = "PGD steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--all-steps", description = "take every step even after an image is misclassified")
    boolean allSteps;
    @Option(names = "--untrained", description = "time a freshly initialized network instead of --model (same cost)")
    boolean untrained;

    @Override
    public Integer call() throws Exception {
        if (images <= 0 || batch <= 0) {
            throw new IllegalArgumentException("--images and --batch must be > 0, got " + images + " and " + batch);
        }
        Pgd.Options options = new Pgd.Options(Pgd.Options.DEFAULT_EPSILON, Pgd.Options.DEFAULT_STEP_SIZE, steps, true,
                AttackGoal.UNTARGETED, !allSteps);
        Path batchDir = DatasetLocator.standard().batchDir();
        GraphClassifier classifier = untrained ? VggClassifiers.untrained(Cifar10.classNames(batchDir)) : modelOption.loadGraph(ModelOption.HINT, "bench-robustness");
        CifarModels.requireCifarClassifier(classifier, modelOption);
        LabeledImages test = Cifar10.readTest(batchDir);
        LabeledImages subset = test.range(0, Math.min(images, test.size()));
        Pgd pgd = new Pgd(classifier, options);
        System.out.println("backend: " + Backend.describe() + (untrained ? "; untrained weights" : "; weights " + modelOption));
        // one untimed batch: graph construction and native warm-up
        pgd.perturb(subset.pixelTensor(0, Math.min(batch, subset.size())), labels(subset, 0, Math.min(batch, subset.size())), 0);

        long cleanCorrect = 0;
        long adversarialCorrect = 0;
        long start = System.nanoTime();
        for (int from = 0; from < subset.size(); from += batch) {
            int to = Math.min(subset.size(), from + batch);
            INDArray x = subset.pixelTensor(from, to);
            int[] labels = labels(subset, from, to);
            cleanCorrect += AccuracySweep.countCorrect(classifier.logits(x), labels);
            adversarialCorrect += AccuracySweep.countCorrect(classifier.logits(pgd.perturb(x, labels, from)), labels);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("PGD-%d ε 8/255 (%s) over %d images, batch %d: %.1f s (%.1f images/s)%n", steps,
                allSteps ? "all steps" : "stop when fooled", subset.size(), batch, seconds, subset.size() / seconds);
        System.out.printf("accuracy clean %.2f%%, under PGD %.2f%%%n", 100.0 * cleanCorrect / subset.size(),
                100.0 * adversarialCorrect / subset.size());
        return 0;
    }

    private static int[] labels(LabeledImages images, int from, int to) {
        return Arrays.copyOfRange(images.labels(), from, to);
    }
}
