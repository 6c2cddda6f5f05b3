package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.gradient.GuidedBackprop;
import org.xaiworkbench.explain.gradient.ModifiedReluGradient;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.WithLogits;

/**
 * Guided Grad-CAM (Selvaraju et al. 2017), as Captum's GuidedGradCam: guided backpropagation times the
 * layer's Grad-CAM map resized to the input by nearest neighbour (Captum's default), on every channel:
 * signed, [M,C,H,W].
 */
public final class GuidedGradCam extends AbstractAttribution<AbstractCam.Options> {
    public static final String ID = "guided-grad-cam";

    private final GradCam gradCam;
    private final GuidedBackprop guided;

    public GuidedGradCam(Classifier classifier, AbstractCam.Options options) {
        super(ID, classifier, options);
        this.gradCam = new GradCam(classifier, options);
        this.guided = new GuidedBackprop(classifier, new ModifiedReluGradient.Options(options.score()));
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    protected INDArray attributeRows(INDArray rows, int[] classes, RowRandom random) {
        return combined(rows, classifier.capture(rows, options.layer(), classes, score), classes);
    }

    @Override
    protected WithLogits<INDArray> attributeWithLogits(INDArray x, int[] classes) {
        WithLogits<LayerCapture> captured = classifier.captureWithLogits(x, options.layer(), classes, score);
        return new WithLogits<>(captured.logits(), captured.classes(), combined(x, captured.value(), captured.classes()));
    }

    private INDArray combined(INDArray rows, LayerCapture capture, int[] classes) {
        AbstractCam.LayerMap map = gradCam.layerMap(capture);
        INDArray cam = Upsampling.nearest(map.values(), map.maps(), map.height(), map.width(), (int) rows.size(2), (int) rows.size(3),
                rows.dataType());
        return guided.signal(rows, classes).castTo(rows.dataType()).muli(cam);
    }
}
