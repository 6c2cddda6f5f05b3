package org.xaiworkbench.evaluate.randomization;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.evaluate.Similarity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The class-randomization check (Adebayo et al. 2018; Quantus' RandomLogit): SSIM between the map of
 * the explained class and the map of a random other class of the same image. A map that looks the same
 * whatever the class is not about the class.
 */
public final class ClassRandomization extends AbstractMetric {
    public static final String ID = "class-randomization";

    public ClassRandomization() {
        super(ID, Direction.LOWER, "SSIM of |map| for the explained class and for a random other class (sanity check)");
    }

    @Override
    public Subsample subsample() {
        return Subsample.RANDOMIZATION;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        int classes = batch.classifier().numClasses();
        List<double[]> images = new ArrayList<>();
        int[] others = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Sample sample = batch.samples().get(i);
            SplittableRandom random = batch.config().random("other-class", sample.index());
            int other = random.nextInt(classes - 1);
            others[i] = other >= sample.target() ? other + 1 : other;
            images.add(sample.pixels());
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String id : batch.methodIds()) {
            double[][] maps = batch.methods().explain(id, batch.classifier(), images, batch.samples().get(0), others);
            double[] values = new double[batch.size()];
            for (int i = 0; i < values.length; i++) {
                Sample sample = batch.samples().get(i);
                values[i] = Similarity.ssim(Maps.abs(batch.pixelMap(id, i)), Maps.abs(Maps.pixelMap(maps[i], sample)),
                        sample.height(), sample.width());
            }
            out.put(id, values);
            batch.progress(1);
        }
        return out;
    }
}
