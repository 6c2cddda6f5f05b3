package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProbabilityOutputsTest {
    /** Records which score each call asked for. */
    private static final class Recording implements Classifier {
        final List<Score> asked = new ArrayList<>();

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public List<String> classNames() {
            return List.of("a", "b");
        }

        @Override
        public List<String> layerNames() {
            return List.of("l");
        }

        @Override
        public INDArray logits(INDArray x) {
            return Nd4j.create(new double[][]{{0, Math.log(3)}});
        }

        @Override
        public INDArray scoreGradient(INDArray x, int[] classes, Score score) {
            asked.add(score);
            return x;
        }

        @Override
        public LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
            asked.add(score);
            return new LayerCapture(layer, x, x);
        }
    }

    @Test
    void logitScoreBecomesProbability() {
        Recording inner = new Recording();
        ProbabilityOutputs outputs = new ProbabilityOutputs(inner);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 3, 2, 2);
        assertEquals(0.75, outputs.logits(x).getDouble(0, 1), 1e-9, "softmax of (0, ln 3)");
        assertEquals(0.75, outputs.probabilities(x).getDouble(0, 1), 1e-9, "not softmax applied twice");
        outputs.scoreGradient(x, new int[]{1}, Score.LOGIT);
        outputs.capture(x, "l", new int[]{1}, Score.LOGIT);
        assertEquals(List.of(Score.PROBABILITY, Score.PROBABILITY), inner.asked);
        assertThrows(IllegalArgumentException.class, () -> outputs.scoreGradient(x, new int[]{1}, Score.LOG_PROBABILITY));
    }
}
