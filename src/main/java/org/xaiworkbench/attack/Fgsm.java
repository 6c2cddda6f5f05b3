package org.xaiworkbench.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Classifier;

/** Fast Gradient Sign Method (Goodfellow et al. 2015): one step x + ε·sign(∇loss), clamped to [0,1]. */
public final class Fgsm implements Attack {
    /** @param epsilon L∞ radius in pixel units (8/255 by default) */
    public record Options(double epsilon, AttackGoal goal) {
        public static final double DEFAULT_EPSILON = 8.0 / 255;

        public Options {
            AttackOptions.checkEpsilon(epsilon);
            if (goal == null) {
                throw new IllegalArgumentException("goal must be untargeted or targeted, got null");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_EPSILON, AttackGoal.UNTARGETED);
        }

        public Options withEpsilon(double newEpsilon) {
            return new Options(newEpsilon, goal);
        }
    }

    private final Classifier classifier;
    private final Options options;

    public Fgsm(Classifier classifier, Options options) {
        if (classifier == null || options == null) {
            throw new IllegalArgumentException("classifier and options must not be null");
        }
        this.classifier = classifier;
        this.options = options;
    }

    @Override
    public String id() {
        return "fgsm";
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

    /** FGSM draws nothing at random; the seed is ignored. */
    @Override
    public INDArray perturb(INDArray x, int[] classes, long seed) {
        PixelSpace.checkBatch(x, classes, classifier.numClasses());
        INDArray step = LossGradient.stepSign(classifier, x, classes, options.goal()).muli(options.epsilon());
        return PixelSpace.clampInPlace(step.addi(x));
    }
}
