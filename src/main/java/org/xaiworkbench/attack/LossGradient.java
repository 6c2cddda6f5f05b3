package org.xaiworkbench.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

/** The sign of the pixel step an attack takes, from the gradient of log p[class]. */
final class LossGradient {
    private LossGradient() {
    }

    /**
     * sign of the direction that serves the goal. The cross-entropy loss is −log p[c], so its gradient
     * is −∇log p[c]: untargeted attacks ascend the loss of the label (step along −∇log p), targeted
     * attacks descend the loss of the target (step along +∇log p).
     */
    static INDArray stepSign(Classifier classifier, INDArray x, int[] classes, AttackGoal goal) {
        INDArray logProbabilityGradient = classifier.scoreGradient(x, classes, Score.LOG_PROBABILITY);
        INDArray sign = Transforms.sign(logProbabilityGradient, true);
        return goal == AttackGoal.UNTARGETED ? sign.negi() : sign;
    }
}
