package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;

/**
 * A class activation map whose channel weights come from forward passes of perturbed inputs rather
 * than from the captured gradient (Score-CAM, Ablation-CAM): capture the layer, weigh each image's
 * channels from its picture and class, then sum_k w_k A_k, ReLU, resize. Unlike the gradient CAMs it
 * cannot be drawn from a capture alone, so it has no {@code fromCapture}.
 */
abstract class ScoredChannelCam extends AbstractAttribution<AbstractCam.Options> {
    protected ScoredChannelCam(String id, Classifier classifier, AbstractCam.Options options) {
        super(id, classifier, options);
        AbstractCam.checkLayer(id, classifier, options.layer());
    }

    /** Channel weights [channels] of image {@code m} of {@code rows}, explained for {@code targetClass}. */
    protected abstract double[] channelWeights(Layer layer, INDArray rows, int m, int targetClass);

    /** The captured layer: its host planes and spatial size. */
    protected record Layer(AbstractCam.Planes planes, int height, int width) {
        /** Image m's activation, [channels * height * width] in c order. */
        double[] activation(int m) {
            int size = planes.channels() * planes.pixels();
            double[] own = new double[size];
            System.arraycopy(planes.activation(), m * size, own, 0, size);
            return own;
        }
    }

    @Override
    public final boolean signed() {
        return false;
    }

    @Override
    protected final INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        LayerCapture capture = classifier.capture(rows, options.layer(), classes, score);
        Layer layer = new Layer(AbstractCam.planes(capture), (int) capture.activation().size(2), (int) capture.activation().size(3));
        int channels = layer.planes().channels();
        double[] weights = new double[layer.planes().maps() * channels];
        for (int m = 0; m < layer.planes().maps(); m++) {
            System.arraycopy(channelWeights(layer, rows, m, classes[m]), 0, weights, m * channels, channels);
        }
        double[] cam = ChannelWeightedCam.weightedSum(layer.planes(), weights);
        return AbstractCam.rectifiedAndResized(cam, layer.planes().maps(), layer.height(), layer.width(), (int) rows.size(2),
                (int) rows.size(3), rows.dataType());
    }
}
