package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.perturbation.BatchScorer;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.graph.GraphClassifier;

/**
 * Ablation-CAM (Desai and Ramaswamy 2020), as pytorch-grad-cam computes it on a layer whose activations
 * are not negative: channel k's weight is the score's relative drop when the channel is zeroed,
 * (s - s_k) / s, found by running the rest of the network ({@link GraphClassifier#tailFrom}) once per
 * channel and image; then sum_k w_k A_k, ReLU, resize. On a layer with negative values pytorch-grad-cam
 * sets the channel to its minimum less 1e7 instead; here it is zeroed, as in the paper.
 */
public final class AblationCam extends AbstractAttribution<AbstractCam.Options> {
    public static final String ID = "ablation-cam";
    /** Ablated activations per forward call. */
    private static final int BATCH = 32;

    private final GraphClassifier rest;

    public AblationCam(Classifier classifier, AbstractCam.Options options) {
        super(ID, classifier, options);
        AbstractCam.checkLayer(ID, classifier, options.layer());
        if (!(classifier instanceof GraphClassifier graph)) {
            throw new MethodRefusal(ID + " needs the model as a layer graph (it runs the network from the layer on); this model is explained through "
                    + classifier.getClass().getSimpleName());
        }
        try {
            this.rest = graph.tailFrom(options.layer());
        } catch (IllegalArgumentException e) {
            throw new MethodRefusal(ID + ": " + e.getMessage());
        }
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        LayerCapture capture = classifier.capture(rows, options.layer(), classes, score);
        AbstractCam.Planes planes = AbstractCam.planes(capture);
        int channels = planes.channels();
        int h = (int) capture.activation().size(2);
        int w = (int) capture.activation().size(3);
        int size = channels * planes.pixels();
        double[] weights = new double[planes.maps() * channels];
        BatchScorer scorer = new BatchScorer(rest, score, BATCH);
        for (int m = 0; m < planes.maps(); m++) {
            int from = m * size;
            double[] unchanged = scorer.scores(1, channels, h, w, classes[m], (k, buffer, offset) -> {
                for (int v = 0; v < size; v++) {
                    buffer[offset + v] = (float) planes.activation()[from + v];
                }
            });
            double[] ablated = scorer.scores(channels, channels, h, w, classes[m], (k, buffer, offset) -> {
                for (int v = 0; v < size; v++) {
                    buffer[offset + v] = v / planes.pixels() == k ? 0 : (float) planes.activation()[from + v];
                }
            });
            for (int c = 0; c < channels; c++) {
                weights[m * channels + c] = (unchanged[0] - ablated[c]) / unchanged[0];
            }
        }
        double[] cam = ChannelWeightedCam.weightedSum(planes, weights);
        return AbstractCam.rectifiedAndResized(cam, planes.maps(), h, w, (int) rows.size(2), (int) rows.size(3),
                rows.dataType());
    }
}
