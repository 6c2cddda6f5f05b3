package org.xaiworkbench.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.data.Normalization;

/** Loss and confusion matrix of a network over a labelled set, in inference mode (dropout off). */
public final class Evaluator {
    public record Result(double loss, ConfusionMatrix confusion) {
        public double accuracy() {
            return confusion.accuracy();
        }
    }

    private Evaluator() {
    }

    public static Result evaluate(MultiLayerNetwork net, LabeledImages data, Normalization norm, int batchSize) {
        ConfusionMatrix confusion = new ConfusionMatrix(net.getOutputLayer().getParam("b").columns());
        double lossSum = 0;
        int n = data.size();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            INDArray probs = net.output(norm.applyInPlace(data.pixelTensor(from, to)), false);
            INDArray predicted = probs.argMax(1);
            for (int i = from; i < to; i++) {
                int label = data.labels()[i];
                lossSum -= Math.log(Math.max(probs.getDouble(i - from, label), 1e-12));
                confusion.add(label, predicted.getInt(i - from));
            }
        }
        return new Result(lossSum / n, confusion);
    }
}
