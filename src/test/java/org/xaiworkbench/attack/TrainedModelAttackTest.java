package org.xaiworkbench.attack;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.vgg.VggClassifiers;
import org.xaiworkbench.robustness.AccuracySweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** On the trained weights when they exist (skipped otherwise): the iterated attack is at least as strong. */
class TrainedModelAttackTest {
    private static final Path WEIGHTS = Path.of("weights", "base");
    private static final Path BATCHES = Path.of("datasets", Cifar10.BATCH_DIR);
    private static final int IMAGES = 64;

    @Test
    void pgdTenAccuracyIsAtMostFgsmAccuracyAtTheSameEpsilon() throws Exception {
        assumeTrue(Files.isRegularFile(WEIGHTS.resolve(ModelStore.MODEL_FILE)), "no trained model in " + WEIGHTS);
        assumeTrue(Files.isDirectory(BATCHES), "no CIFAR-10 in " + BATCHES);
        ModelStore.Loaded loaded = ModelStore.load(WEIGHTS, false);
        GraphClassifier model = VggClassifiers.of(loaded.network(), loaded.card());
        LabeledImages test = Cifar10.readTest(BATCHES).range(0, IMAGES);
        INDArray x = test.pixelTensor(0, IMAGES);
        int[] labels = Arrays.copyOf(test.labels(), IMAGES);
        double epsilon = 8.0 / 255;
        long clean = AccuracySweep.countCorrect(model.logits(x), labels);
        long fgsm = AccuracySweep.countCorrect(model.logits(
                new Fgsm(model, new Fgsm.Options(epsilon, AttackGoal.UNTARGETED)).perturb(x, labels, 0)), labels);
        long pgd = AccuracySweep.countCorrect(model.logits(
                new Pgd(model, Pgd.Options.defaults()).perturb(x, labels, 1)), labels);
        String counts = String.format("ε 8/255: clean %d, FGSM %d, PGD-10 %d of %d", clean, fgsm, pgd, IMAGES);
        assertTrue(pgd <= fgsm, counts);
        assertTrue(fgsm < clean, counts);
    }
}
