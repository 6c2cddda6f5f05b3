package org.xaiworkbench.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Classifier;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Projected Gradient Descent under L∞ (Madry et al. 2018): optionally start at a uniform random point
 * of the ε ball, then repeat x ← Π(x + α·sign(∇loss)), where Π projects onto the ε ball around the
 * original image intersected with [0,1]. Every iterate is a valid image inside the ball.
 *
 * <p>With {@code stopWhenFooled} an image leaves the loop at the first iterate that is misclassified
 * (untargeted) or classified as its target (targeted), and that iterate is its result: an image
 * counts as broken if any of the iterates breaks it, as in evaluations that keep the best adversarial
 * example, and the gradient passes of broken images are saved (most images break in a few steps).
 * Images that are never broken follow the same trajectory as without it.
 */
public final class Pgd implements Attack {
    /** Sees the whole batch after every step taken; {@code step} 0 is the (random) start. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, INDArray adversarial);
    }

    /**
     * @param epsilon     L∞ radius in pixel units
     * @param stepSize    α, pixel units per step
     * @param steps       number of gradient steps
     * @param randomStart start at a uniform random point of the ball instead of the image itself
     * @param stopWhenFooled freeze each image at its first successful iterate (see the class comment)
     */
    public record Options(double epsilon, double stepSize, int steps, boolean randomStart, AttackGoal goal,
                          boolean stopWhenFooled) {
        public static final double DEFAULT_EPSILON = 8.0 / 255;
        public static final double DEFAULT_STEP_SIZE = 2.0 / 255;
        public static final int DEFAULT_STEPS = 10;

        public Options {
            AttackOptions.checkEpsilon(epsilon);
            if (!(stepSize > 0 && stepSize <= 1)) {
                throw new IllegalArgumentException("step size must be in (0,1] (pixel units), got " + stepSize);
            }
            if (steps <= 0) {
                throw new IllegalArgumentException("steps must be > 0, got " + steps);
            }
            if (goal == null) {
                throw new IllegalArgumentException("goal must be untargeted or targeted, got null");
            }
        }

        /** The common reference: ε 8/255, step 2/255, 10 steps, random start, untargeted, all steps taken. */
        public static Options defaults() {
            return new Options(DEFAULT_EPSILON, DEFAULT_STEP_SIZE, DEFAULT_STEPS, true, AttackGoal.UNTARGETED, false);
        }

        public Options withStopWhenFooled(boolean stop) {
            return new Options(epsilon, stepSize, steps, randomStart, goal, stop);
        }

        /** The same attack at another radius with the step size scaled in proportion (α/ε kept). */
        public Options scaledTo(double newEpsilon) {
            double ratio = stepSize / epsilon;
            return new Options(newEpsilon, newEpsilon == 0 ? stepSize : newEpsilon * ratio, steps, randomStart, goal,
                    stopWhenFooled);
        }
    }

    private final Classifier classifier;
    private final Options options;

    public Pgd(Classifier classifier, Options options) {
        if (classifier == null || options == null) {
            throw new IllegalArgumentException("classifier and options must not be null");
        }
        this.classifier = classifier;
        this.options = options;
    }

    @Override
    public String id() {
        return "pgd";
    }

    @Override
    public double epsilon() {
        return options.epsilon();
    }

    @Override
    public AttackGoal goal() {
        return options.goal();
    }

    public Options options() {
        return options;
    }

    @Override
    public INDArray perturb(INDArray x, int[] classes, long seed) {
        return perturb(x, classes, seed, (step, adversarial) -> { });
    }

    public INDArray perturb(INDArray x, int[] classes, long seed, StepListener listener) {
        PixelSpace.checkBatch(x, classes, classifier.numClasses());
        double epsilon = options.epsilon();
        INDArray origin = x.dup('c');
        INDArray adversarial = origin.dup('c');
        if (options.randomStart()) {
            adversarial.addi(uniformNoise(x, epsilon, seed));
            PixelSpace.projectInPlace(adversarial, origin, epsilon);
        }
        listener.onStep(0, adversarial);
        int n = classes.length;
        int[] active = IntStream.range(0, n).toArray();
        for (int step = 1; step <= options.steps(); step++) {
            if (options.stopWhenFooled()) {
                active = notYetFooled(adversarial, classes, active);
                if (active.length == 0) {
                    break;
                }
            }
            boolean all = active.length == n;
            INDArray rows = all ? adversarial : rows(adversarial, active);
            int[] rowClasses = all ? classes : Arrays.stream(active).map(i -> classes[i]).toArray();
            INDArray sign = LossGradient.stepSign(classifier, rows, rowClasses, options.goal());
            rows.addi(sign.muli(options.stepSize()));
            PixelSpace.projectInPlace(rows, all ? origin : rows(origin, active), epsilon);
            if (!all) {
                INDArray flat = adversarial.reshape(n, -1);
                INDArray updated = rows.reshape(active.length, -1);
                for (int r = 0; r < active.length; r++) {
                    flat.putRow(active[r], updated.getRow(r));
                }
            }
            listener.onStep(step, adversarial);
        }
        return adversarial;
    }

    /** The images among {@code active} that the attack has not yet achieved its goal on. */
    private int[] notYetFooled(INDArray adversarial, int[] classes, int[] active) {
        INDArray logits = classifier.logits(active.length == classes.length ? adversarial : rows(adversarial, active));
        return IntStream.range(0, active.length).filter(r -> {
            boolean predictsClass = logits.getRow(r).argMax().getInt(0) == classes[active[r]];
            return options.goal() == AttackGoal.UNTARGETED ? predictsClass : !predictsClass;
        }).map(r -> active[r]).toArray();
    }

    /** Copies of the given rows of a C-ordered [N,C,H,W] batch. */
    private static INDArray rows(INDArray batch, int[] indices) {
        long[] shape = batch.shape().clone();
        shape[0] = indices.length;
        return Nd4j.pullRows(batch.reshape(batch.size(0), -1), 1, indices).reshape('c', shape);
    }

    /** U(−ε, ε) per pixel, drawn in Java so the same seed gives the same start on every backend. */
    private static INDArray uniformNoise(INDArray x, double epsilon, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] noise = new float[(int) x.length()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (epsilon * (2 * random.nextDouble() - 1));
        }
        return Nd4j.create(noise, x.shape(), 'c').castTo(x.dataType());
    }
}
