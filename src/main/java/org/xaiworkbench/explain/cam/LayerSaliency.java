package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saliency of an inner module, as the report's per-layer figure draws it: the gradient of the score with
 * respect to the module's activation, its absolute value, the maximum over channels, upsampled
 * bilinearly to the input size: [M,1,H,W]. Not in the registry: it is a view of one model's layers
 * rather than a per-image method to compare with the others, and the CLI walks it over every module.
 */
public final class LayerSaliency extends AbstractAttribution {
    public static final String ID = "layer-saliency";
    private final AbstractCam.Options options;

    public LayerSaliency(Classifier classifier, AbstractCam.Options options) {
        super(classifier, options.score(), 0);
        if (!classifier.layerNames().contains(options.layer())) {
            throw new IllegalArgumentException("layer '" + options.layer() + "' is not a module of the model, expected one of "
                    + classifier.layerNames());
        }
        this.options = options;
    }

    @Override
    public String id() {
        return ID;
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
        INDArray strongest = Transforms.abs(gradient, true).max(true, 1);
        return Upsampling.bilinear(strongest, height, width);
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layer", options.layer());
        out.put("score", options.score().name().toLowerCase());
        return out;
    }
}
