package org.xaiworkbench.attack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackTest {
    private static final long[] SHAPE = {3, 4, 4};
    private static final int K = 5;
    private static final double TOLERANCE = 1e-6;
    private final LinearClassifier model = LinearClassifier.random(K, 0.3, 7, SHAPE);

    /** Images in [0,1] with a quarter of the pixels exactly at 0 or 1, so clamping is exercised. */
    private static INDArray images(int n, long seed) {
        Random random = new Random(seed);
        int d = (int) (SHAPE[0] * SHAPE[1] * SHAPE[2]);
        float[] data = new float[n * d];
        for (int i = 0; i < data.length; i++) {
            double u = random.nextDouble();
            data[i] = u < 0.125 ? 0f : u < 0.25 ? 1f : random.nextFloat();
        }
        return Nd4j.create(data, new long[]{n, SHAPE[0], SHAPE[1], SHAPE[2]}, 'c');
    }

    private static double clamp01(double v) {
        return Math.min(1, Math.max(0, v));
    }

    /** clamp(x + ε·sign(g)) with g = +∇log p (targeted) or −∇log p (untargeted), from the model's closed form. */
    private double[][] expectedSignStep(INDArray x, int[] classes, double epsilon, boolean targeted) {
        double[][] rows = LinearClassifier.rows(x);
        for (int i = 0; i < rows.length; i++) {
            double[] g = model.logProbabilityGradient(rows[i], classes[i]);
            for (int j = 0; j < g.length; j++) {
                double direction = targeted ? Math.signum(g[j]) : -Math.signum(g[j]);
                rows[i][j] = clamp01((float) rows[i][j] + epsilon * direction);
            }
        }
        return rows;
    }

    private static void assertRowsEqual(double[][] expected, INDArray actual) {
        double[][] rows = LinearClassifier.rows(actual);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], rows[i], TOLERANCE, "row " + i);
        }
    }

    @Test
    void fgsmIsOneClampedSignStepUpTheLoss() {
        INDArray x = images(6, 1);
        int[] labels = {0, 1, 2, 3, 4, 0};
        double epsilon = 8.0 / 255;
        INDArray adversarial = new Fgsm(model, new Fgsm.Options(epsilon, AttackGoal.UNTARGETED)).perturb(x, labels, 0);
        assertRowsEqual(expectedSignStep(x, labels, epsilon, false), adversarial);
    }

    @Test
    void targetedFgsmIsOneClampedSignStepDownTheTargetLoss() {
        INDArray x = images(6, 2);
        int[] targets = {4, 3, 2, 1, 0, 2};
        double epsilon = 0.05;
        INDArray adversarial = new Fgsm(model, new Fgsm.Options(epsilon, AttackGoal.TARGETED)).perturb(x, targets, 0);
        assertRowsEqual(expectedSignStep(x, targets, epsilon, true), adversarial);
    }

    @Test
    void untargetedFgsmNeverLowersTheLossOfAConvexModel() {
        // Cross-entropy of a linear model is convex in x, so loss(x+δ) >= loss(x) + ∇loss·δ >= loss(x).
        INDArray x = images(20, 3);
        int[] labels = new int[20];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % K;
        }
        double[][] before = LinearClassifier.rows(x);
        double[][] after = LinearClassifier.rows(new Fgsm(model, Fgsm.Options.defaults()).perturb(x, labels, 0));
        for (int i = 0; i < labels.length; i++) {
            double lossBefore = -Math.log(model.probabilities(before[i])[labels[i]]);
            double lossAfter = -Math.log(model.probabilities(after[i])[labels[i]]);
            assertTrue(lossAfter > lossBefore, "image " + i + ": loss " + lossBefore + " -> " + lossAfter);
        }
    }

    @Test
    void pgdStaysInTheBallAndInThePixelBoxAtEveryStep() {
        INDArray x = images(8, 4);
        int[] labels = {0, 1, 2, 3, 4, 0, 1, 2};
        Pgd.Options options = new Pgd.Options(0.05, 0.02, 7, true, AttackGoal.UNTARGETED, false);
        AtomicInteger steps = new AtomicInteger();
        double[][] original = LinearClassifier.rows(x);
        INDArray result = new Pgd(model, options).perturb(x, labels, 11, (step, adversarial) -> {
            assertEquals(steps.getAndIncrement(), step);
            double[][] rows = LinearClassifier.rows(adversarial);
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < rows[i].length; j++) {
                    assertTrue(rows[i][j] >= 0 && rows[i][j] <= 1, "step " + step + " leaves [0,1]: " + rows[i][j]);
                    assertTrue(Math.abs(rows[i][j] - original[i][j]) <= options.epsilon() + TOLERANCE,
                            "step " + step + " leaves the ball: |Δ| = " + Math.abs(rows[i][j] - original[i][j]));
                }
            }
        });
        assertEquals(options.steps() + 1, steps.get());
        assertFalse(result.equalsWithEps(x, 1e-4), "PGD should move the image");
        assertRowsEqual(original, x);
    }

    @Test
    void stoppingWhenFooledBreaksAtLeastTheSameImagesAndLeavesTheOthersOnTheirPath() {
        INDArray x = images(30, 10);
        int[] labels = new int[30];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = argMax(model.probabilities(LinearClassifier.rows(x)[i]));
        }
        Pgd.Options full = new Pgd.Options(0.06, 0.01, 10, true, AttackGoal.UNTARGETED, false);
        double[][] allSteps = LinearClassifier.rows(new Pgd(model, full).perturb(x, labels, 4));
        double[][] stopped = LinearClassifier.rows(new Pgd(model, full.withStopWhenFooled(true)).perturb(x, labels, 4));
        int brokenEarly = 0;
        int brokenAtEnd = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean fooledAtEnd = argMax(model.probabilities(allSteps[i])) != labels[i];
            boolean fooledEarly = argMax(model.probabilities(stopped[i])) != labels[i];
            brokenAtEnd += fooledAtEnd ? 1 : 0;
            brokenEarly += fooledEarly ? 1 : 0;
            assertTrue(fooledEarly || !fooledAtEnd, "image " + i + " broken by the full attack but not by the early-stopping one");
            if (!fooledEarly) {
                assertArrayEquals(allSteps[i], stopped[i], TOLERANCE, "image " + i + " never fooled: same trajectory");
            }
        }
        assertTrue(brokenAtEnd > 0 && brokenAtEnd < labels.length, "the test needs some broken and some robust images, got "
                + brokenAtEnd + " broken of " + labels.length);
        assertTrue(brokenEarly >= brokenAtEnd);
    }

    @Test
    void oneStepPgdWithoutRandomStartAndStepEpsilonIsFgsm() {
        INDArray x = images(5, 5);
        int[] labels = {4, 3, 2, 1, 0};
        double epsilon = 0.03;
        INDArray pgd = new Pgd(model, new Pgd.Options(epsilon, epsilon, 1, false, AttackGoal.UNTARGETED, false)).perturb(x, labels, 0);
        assertRowsEqual(expectedSignStep(x, labels, epsilon, false), pgd);
    }

    @Test
    void pgdRandomStartIsSeeded() {
        INDArray x = images(4, 6);
        int[] labels = {0, 1, 2, 3};
        Pgd pgd = new Pgd(model, new Pgd.Options(0.1, 0.001, 1, true, AttackGoal.UNTARGETED, false));
        assertTrue(pgd.perturb(x, labels, 5).equalsWithEps(pgd.perturb(x, labels, 5), 0));
        assertFalse(pgd.perturb(x, labels, 5).equalsWithEps(pgd.perturb(x, labels, 6), 1e-4));
    }

    @Test
    void zeroEpsilonLeavesTheImageUnchanged() {
        INDArray x = images(4, 7);
        int[] labels = {0, 1, 2, 3};
        assertRowsEqual(LinearClassifier.rows(x), new Pgd(model, Pgd.Options.defaults().scaledTo(0)).perturb(x, labels, 1));
        assertRowsEqual(LinearClassifier.rows(x), new Fgsm(model, Fgsm.Options.defaults().withEpsilon(0)).perturb(x, labels, 1));
    }

    @Test
    void targetedPgdMovesTowardsTheTarget() {
        INDArray x = images(10, 8);
        int[] targets = new int[10];
        double[][] before = LinearClassifier.rows(x);
        for (int i = 0; i < targets.length; i++) {
            double[] p = model.probabilities(before[i]);
            targets[i] = leastLikely(p);
        }
        INDArray adversarial = new Pgd(model, new Pgd.Options(0.3, 0.03, 20, true, AttackGoal.TARGETED, false))
                .perturb(x, targets, 3);
        double[][] after = LinearClassifier.rows(adversarial);
        int reached = 0;
        for (int i = 0; i < targets.length; i++) {
            double pBefore = model.probabilities(before[i])[targets[i]];
            double[] pAfter = model.probabilities(after[i]);
            assertTrue(pAfter[targets[i]] > pBefore, "image " + i + ": p[target] " + pBefore + " -> " + pAfter[targets[i]]);
            reached += argMax(pAfter) == targets[i] ? 1 : 0;
        }
        // Within the box some least-likely classes cannot win at all; most must.
        assertTrue(reached >= 8, "only " + reached + " of 10 images reached their target");
    }

    @Test
    void badOptionsNameTheOption() {
        assertMessage("epsilon", () -> new Fgsm.Options(-0.1, AttackGoal.UNTARGETED));
        assertMessage("epsilon", () -> new Pgd.Options(-0.1, 0.01, 10, true, AttackGoal.UNTARGETED, false));
        assertMessage("steps", () -> new Pgd.Options(0.03, 0.01, 0, true, AttackGoal.UNTARGETED, false));
        assertMessage("step size", () -> new Pgd.Options(0.03, 0, 10, true, AttackGoal.UNTARGETED, false));
        assertMessage("classes", () -> new Fgsm(model, Fgsm.Options.defaults()).perturb(images(2, 1), new int[]{0}, 0));
        assertMessage("class", () -> new Fgsm(model, Fgsm.Options.defaults()).perturb(images(1, 1), new int[]{K}, 0));
        INDArray nan = images(1, 1).putScalar(0, Double.NaN);
        assertMessage("NaN", () -> new Pgd(model, Pgd.Options.defaults()).perturb(nan, new int[]{0}, 0));
    }

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should name " + expected);
    }

    private static int leastLikely(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] < p[best]) {
                best = k;
            }
        }
        return best;
    }

    private static int argMax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    @Test
    void attackedImagesKeepTheInputDataType() {
        INDArray x = images(2, 9).castTo(DataType.FLOAT);
        assertEquals(DataType.FLOAT, new Pgd(model, Pgd.Options.defaults()).perturb(x, new int[]{0, 1}, 0).dataType());
    }
}
