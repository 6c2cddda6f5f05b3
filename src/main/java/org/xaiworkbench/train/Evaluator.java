package org.xaiworkbench.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.vgg.VggSpec;
import org.xaiworkbench.model.vgg.VggTraining;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.data.Normalization;

/** Loss and confusion matrix of the network in training over a labelled set, in inference mode (dropout off). */
public final class Evaluator {
    public record Result(double loss, ConfusionMatrix confusion) {
        public double accuracy() {
            return confusion.accuracy();
        }
    }

    private Evaluator() {
    }

    public static Result evaluate(VggTraining net, LabeledImages data, Normalization norm, int batchSize) {
        ConfusionMatrix confusion = new ConfusionMatrix(VggSpec.NUM_CLASSES);
        double lossSum = 0;
        int n = data.size();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            INDArray probs = Nd4j.nn().softmax(net.output(norm.applyInPlace(data.pixelTensor(from, to))), 1);
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
