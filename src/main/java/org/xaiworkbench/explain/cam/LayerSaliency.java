package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;

import java.util.Arrays;

/**
 * Saliency of an inner module, as the report's per-layer figure draws it: the gradient of the score with
 * respect to the module's activation, its absolute value, the maximum over channels, upsampled
 * bilinearly to the input size: [M,1,H,W]. Not in the registry: it is a view of one model's layers
 * rather than a per-image method to compare with the others, and the CLI walks it over every module.
 */
public final class LayerSaliency extends AbstractAttribution<AbstractCam.Options> {
    public static final String ID = "layer-saliency";

    public LayerSaliency(Classifier classifier, AbstractCam.Options options) {
        super(ID, classifier, options);
        if (!classifier.layerNames().contains(options.layer())) {
            throw new IllegalArgumentException(ID + ": layer '" + options.layer() + "' is not a module of the model, expected one of "
                    + classifier.layerNames());
        }
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        LayerCapture capture = classifier.capture(rows, options.layer(), classes, score);
        return fromCapture(capture, (int) rows.size(2), (int) rows.size(3)).castTo(rows.dataType());
    }

    /** The map [M,1,height,width] of a gradient already captured (see {@link AbstractCam#fromCapture}). */
    public static INDArray fromCapture(LayerCapture capture, int height, int width) {
        INDArray gradient = capture.gradient();
        if (gradient.rank() != 4) {
            throw new IllegalArgumentException("layer '" + capture.layer() + "' has no spatial [N,C,h,w] activation (shape "
                    + Arrays.toString(gradient.shape()) + ")");
        }
        int maps = (int) gradient.size(0);
        int channels = (int) gradient.size(1);
        int pixels = (int) (gradient.size(2) * gradient.size(3));
        double[] values = HostValues.of(gradient);
        double[] strongest = new double[maps * pixels];
        for (int m = 0; m < maps; m++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < pixels; p++) {
                    int at = m * pixels + p;
                    strongest[at] = Math.max(strongest[at], Math.abs(values[(m * channels + c) * pixels + p]));
                }
            }
        }
        return Upsampling.bilinear(strongest, maps, (int) gradient.size(2), (int) gradient.size(3), height, width, gradient.dataType());
    }
}
