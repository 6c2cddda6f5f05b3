package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.MethodOptions;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.OptionChecks;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.model.Score;

import java.util.Arrays;

/**
 * The class-activation-map pipeline of pytorch-grad-cam: capture a module's activation A [M,C,h,w] and
 * the gradient G of the score with respect to it, combine them into one plane per map (the one step
 * variants differ in: {@link ChannelWeightedCam} sums w_k A_k over channels, others weigh element-wise
 * or project), ReLU, and upsample bilinearly to the input size. The result is the raw
 * map [M,1,H,W]; pytorch-grad-cam min-max scales each map before resizing, which here is left to viz
 * so that the stored numbers stay comparable across images and layers.
 */
public abstract class AbstractCam extends AbstractAttribution<AbstractCam.Options> {
    /** @param layer the module whose activations are weighed, one of the classifier's layer names */
    public record Options(String layer, Score score) implements MethodOptions {
        public Options {
            if (layer == null || layer.isBlank()) {
                throw new IllegalArgumentException("layer must be one of the model's layers (the layers command lists them), got '"
                        + layer + "'");
            }
            OptionChecks.score(score);
        }

        /** The model's {@link Classifier#defaultCamLayer}: conv_layers.13 on the report's VGG13. */
        public static Options defaults(Classifier classifier) {
            String layer = classifier.defaultCamLayer();
            if (layer == null) {
                throw new MethodRefusal("the model has no layer with an image output for a class activation map");
            }
            return new Options(layer, Score.LOGIT);
        }

        public Options withLayer(String newLayer) {
            return new Options(newLayer, score);
        }
    }

    protected AbstractCam(String id, Classifier classifier, Options options) {
        super(id, classifier, options);
        checkLayer(id, classifier, options.layer());
    }

    static void checkLayer(String id, Classifier classifier, String layer) {
        if (!classifier.layerNames().contains(layer)) {
            throw new IllegalArgumentException(id + ": layer '" + layer + "' is not a module of the model, expected one of "
                    + classifier.layerNames());
        }
    }

    public String layer() {
        return options.layer();
    }

    @Override
    public boolean signed() {
        return false;
    }

    /**
     * A module's activation and its gradient as host arrays, each [maps, channels, pixels] in c order;
     * pixels is h * w of the module.
     */
    protected record Planes(double[] activation, double[] gradient, int maps, int channels, int pixels) {
    }

    /** The map of each image before its ReLU, [maps, pixels] in c order. */
    protected abstract double[] combine(Planes planes);

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        LayerCapture capture = classifier.capture(rows, options.layer(), classes, score);
        return fromCapture(capture, (int) rows.size(2), (int) rows.size(3)).castTo(rows.dataType());
    }

    @Override
    protected WithLogits<INDArray> attributeWithLogits(INDArray x, int[] classes) {
        return classifier.captureWithLogits(x, options.layer(), classes, score)
                .map(capture -> fromCapture(capture, (int) x.size(2), (int) x.size(3)).castTo(x.dataType()));
    }

    /** ReLU, then bilinear resizing to height x width: the last two steps of every class activation map. */
    static INDArray rectifiedAndResized(double[] cam, int maps, int h, int w, int height, int width, DataType type) {
        for (int k = 0; k < cam.length; k++) {
            cam[k] = Math.max(cam[k], 0);
        }
        return Upsampling.bilinear(cam, maps, h, w, height, width, type);
    }

    /**
     * The map [M,1,height,width] of an activation and its gradient already captured, so that figures
     * walking every module can draw several maps from one backward pass.
     */
    public INDArray fromCapture(LayerCapture capture, int height, int width) {
        LayerMap map = layerMap(capture);
        return Upsampling.bilinear(map.values(), map.maps(), map.height(), map.width(), height, width, capture.activation().dataType());
    }

    /** The rectified maps [maps, height * width] at the layer's own resolution, before any resizing. */
    record LayerMap(double[] values, int maps, int height, int width) {
    }

    LayerMap layerMap(LayerCapture capture) {
        Planes planes = planes(capture);
        double[] cam = combine(planes);
        for (int k = 0; k < cam.length; k++) {
            cam[k] = Math.max(cam[k], 0);
        }
        return new LayerMap(cam, planes.maps(), (int) capture.activation().size(2), (int) capture.activation().size(3));
    }

    /** A captured [N,C,h,w] activation and its gradient as host planes; refused in one line for any other shape. */
    static Planes planes(LayerCapture capture) {
        INDArray activation = capture.activation();
        if (activation.rank() != 4 || !Arrays.equals(activation.shape(), capture.gradient().shape())) {
            throw new IllegalArgumentException("layer '" + capture.layer() + "' has no spatial [N,C,h,w] activation (shape "
                    + Arrays.toString(activation.shape()) + "), class-activation maps need a convolutional module");
        }
        return new Planes(HostValues.of(activation), HostValues.of(capture.gradient()), (int) activation.size(0), (int) activation.size(1),
                (int) (activation.size(2) * activation.size(3)));
    }
}
