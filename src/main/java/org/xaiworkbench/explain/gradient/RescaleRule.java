package org.xaiworkbench.explain.gradient;

import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;

import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/** DeepLIFT rescale-rule contributions (x - b) * multipliers for many (input, baseline) pairs, in batches. */
final class RescaleRule {
    private RescaleRule() {
    }

    static GraphClassifier graphOf(Classifier classifier, String method) {
        GraphClassifier graph = MethodRefusal.layerGraph(method, classifier, "the rescale rule rewrites its backward pass");
        graph.rescaleRuleRefusal().ifPresent(why -> {
            throw new MethodRefusal(method + " cannot explain this model: " + why + "; use integrated gradients instead");
        });
        return graph;
    }

    /**
     * Calls {@code sink} with the contributions of pair p, [C,H,W] flattened at {@code offset}, for p in 0..total-1.
     *
     * @param like any batch of the inputs' shape and data type
     */
    static void contributions(GraphClassifier graph, org.nd4j.linalg.api.ndarray.INDArray like, int total, int batchSize,
                              IntFunction<double[]> inputOf, IntFunction<double[]> baselineOf, IntUnaryOperator classOf,
                              Rows.Sink sink) {
        int size = Rows.imageSize(like);
        for (int start = 0; start < total; start += batchSize) {
            int count = Math.min(batchSize, total - start);
            double[] inputs = new double[count * size];
            double[] baselines = new double[count * size];
            int[] classes = new int[count];
            for (int j = 0; j < count; j++) {
                System.arraycopy(inputOf.apply(start + j), 0, inputs, j * size, size);
                System.arraycopy(baselineOf.apply(start + j), 0, baselines, j * size, size);
                classes[j] = classOf.applyAsInt(start + j);
            }
            double[] multipliers = HostValues.of(
                    graph.rescaleMultipliers(Rows.batch(inputs, count, like), Rows.batch(baselines, count, like), classes));
            for (int k = 0; k < multipliers.length; k++) {
                multipliers[k] *= inputs[k] - baselines[k];
            }
            for (int j = 0; j < count; j++) {
                sink.accept(start + j, multipliers, j * size);
            }
        }
    }
}
