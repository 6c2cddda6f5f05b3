package org.xaiworkbench.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Counts correct predictions of the training forward pass itself, as the report's PyTorch loop does,
 * without a second forward pass: DL4J hands listeners the activations up to the output layer's
 * input, and the output layer is one small matrix product away. That product uses the activation
 * before the output layer's dropout, so the count is of the net with that last dropout off.
 */
final class TrainingAccuracyListener extends BaseTrainingListener {
    private int[] batchLabels;
    private long correct;
    private long seen;

    void nextBatch(int[] labels) {
        this.batchLabels = labels;
    }

    void reset() {
        correct = 0;
        seen = 0;
    }

    double accuracy() {
        return seen == 0 ? 0 : (double) correct / seen;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        INDArray hidden = activations.get(activations.size() - 1);
        INDArray logits = hidden.mmul(net.getOutputLayer().getParam("W")).addiRowVector(net.getOutputLayer().getParam("b"));
        INDArray predicted = logits.argMax(1);
        for (int i = 0; i < batchLabels.length; i++) {
            if (predicted.getInt(i) == batchLabels[i]) {
                correct++;
            }
        }
        seen += batchLabels.length;
    }
}
