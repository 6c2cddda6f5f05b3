package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.perturbation.BatchScorer;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;

/**
 * Ablation-CAM (Desai and Ramaswamy 2020), as pytorch-grad-cam computes it on a layer whose activations
 * are not negative: channel k's weight is the score's relative drop when the channel is zeroed,
 * (s - s_k) / s, found by running the rest of the network ({@link GraphClassifier#tailFrom}) once per
 * channel and image; then sum_k w_k A_k, ReLU, resize. On a layer with negative values pytorch-grad-cam
 * sets the channel to its minimum less 1e7 instead; here it is zeroed, as in the paper.
 */
public final class AblationCam extends ScoredChannelCam {
    public static final String ID = "ablation-cam";
    /** Ablated activations per forward call. */
    private static final int BATCH = 32;

    private final GraphClassifier rest;

    public AblationCam(Classifier classifier, AbstractCam.Options options) {
        super(ID, classifier, options);
        GraphClassifier graph = MethodRefusal.layerGraph(ID, classifier, "it runs the network from the layer on");
        try {
            this.rest = graph.tailFrom(options.layer());
        } catch (IllegalArgumentException e) {
            throw new MethodRefusal(ID + ": " + e.getMessage());
        }
    }

    /** (s - s_k) / s from one batch: the activation as it is, then with each channel zeroed in turn. */
    @Override
    protected double[] channelWeights(Layer layer, INDArray rows, int m, int targetClass) {
        int channels = layer.planes().channels();
        int pixels = layer.planes().pixels();
        double[] activation = layer.activation(m);
        double[] scores = new BatchScorer(rest, score, BATCH).scores(channels + 1, channels, layer.height(), layer.width(), targetClass,
                (k, buffer, offset) -> {
                    for (int v = 0; v < activation.length; v++) {
                        buffer[offset + v] = k > 0 && v / pixels == k - 1 ? 0 : (float) activation[v];
                    }
                });
        double[] weights = new double[channels];
        for (int c = 0; c < channels; c++) {
            weights[c] = (scores[0] - scores[c + 1]) / scores[0];
        }
        return weights;
    }
}
