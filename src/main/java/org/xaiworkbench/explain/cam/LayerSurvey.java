package org.xaiworkbench.explain.cam;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * How a CAM method's maps look at each module over many images: the share of images whose map is
 * dark (zero everywhere after the method's ReLU, so there is nothing to show) and the mean share of
 * pixels that are lit. One figure of one image cannot tell whether a module's map is dark in general,
 * as the report says of Grad-CAM at the last pooling layer; this counts it.
 */
public final class LayerSurvey {
    /**
     * One module's figures over {@code images} images: the share whose map is zero everywhere, and the
     * share of lit (positive) pixels of the upsampled map, averaged over all images, dark ones included.
     */
    public record Row(String layer, int images, double darkShare, double litArea) {
    }

    private LayerSurvey() {
    }

    /** The figures of one module from its maps [N,1,H,W] (or [N,C,H,W]). */
    public static Row summarize(String layer, INDArray maps) {
        int n = (int) maps.size(0);
        if (n == 0) {
            throw new IllegalArgumentException("no maps to summarize for " + layer);
        }
        INDArray perImage = maps.reshape(n, -1).castTo(DataType.DOUBLE);
        double[] largest = perImage.max(1).toDoubleVector();
        double[] lit = perImage.gt(0).castTo(DataType.DOUBLE).mean(1).toDoubleVector();
        int dark = 0;
        double litSum = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(largest[i]) && largest[i] <= 0) {
                dark++;
            }
            litSum += lit[i];
        }
        return new Row(layer, n, (double) dark / n, litSum / n);
    }

    /**
     * Every module of {@code layers} for each CAM of {@code methods}, at the predicted class of each
     * image, {@code batch} images per call. The methods share one capture (activation and gradient)
     * per module and batch, since they differ only in how they weigh it. {@code progress} hears the
     * index of each module done. Returns each method's rows in module order.
     */
    public static Map<String, List<Row>> run(Classifier classifier, INDArray images, List<String> layers,
                                             Map<String, AbstractCam> methods, int batch, IntConsumer progress) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be > 0, got " + batch);
        }
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        methods.keySet().forEach(name -> rows.put(name, new ArrayList<>()));
        long n = images.size(0);
        int height = (int) images.size(2);
        int width = (int) images.size(3);
        for (int l = 0; l < layers.size(); l++) {
            String layer = layers.get(l);
            Map<String, List<INDArray>> maps = new LinkedHashMap<>();
            for (long start = 0; start < n; start += batch) {
                INDArray chunk = images.get(NDArrayIndex.interval(start, Math.min(n, start + batch)));
                LayerCapture capture = classifier.captureWithLogits(chunk, layer, null, Score.LOGIT).value();
                methods.forEach((name, cam) -> maps.computeIfAbsent(name, k -> new ArrayList<>()).add(cam.fromCapture(capture, height, width)));
            }
            maps.forEach((name, parts) -> rows.get(name).add(summarize(layer, Nd4j.concat(0, parts.toArray(new INDArray[0])))));
            progress.accept(l);
        }
        return rows;
    }
}
