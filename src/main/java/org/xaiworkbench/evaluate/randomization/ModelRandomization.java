package org.xaiworkbench.evaluate.randomization;

import org.xaiworkbench.evaluate.AbstractMetric;
import org.xaiworkbench.evaluate.CurvePoint;
import org.xaiworkbench.evaluate.Direction;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.Maps;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.evaluate.Similarity;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Reinitializable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cascading model-parameter randomization (Adebayo et al. 2018): the layers with parameters are drawn
 * afresh from PyTorch's default initialiser (weights and biases from U(±1/√fan_in)), one more at each stage from the top down, and each method's
 * map of the same image and class is compared with its map on the trained model, by Spearman's rank
 * correlation of |map| and by SSIM. A map that stays alike when the model is destroyed does not explain
 * the model. The value is the rank correlation once every layer is randomized; the whole cascade goes
 * to the curves.
 */
public final class ModelRandomization extends AbstractMetric {
    public static final String ID = "model-randomization";
    public static final String SPEARMAN_CURVE = "randomization-spearman";
    public static final String SSIM_CURVE = "randomization-ssim";

    public ModelRandomization() {
        super(ID, Direction.LOWER, "Spearman correlation of |map| with the map on a model whose every layer is "
                + "re-initialised (sanity check)");
    }

    @Override
    public Subsample subsample() {
        return Subsample.RANDOMIZATION;
    }

    @Override
    public Map<String, double[]> values(EvaluationBatch batch) {
        if (!(batch.classifier() instanceof Reinitializable model)) {
            throw new IllegalArgumentException("model randomization needs a model whose layers can be re-initialised");
        }
        List<String> topDown = new ArrayList<>(model.parameterLayers());
        Collections.reverse(topDown);
        List<double[]> images = new ArrayList<>();
        int[] targets = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            images.add(batch.samples().get(i).pixels());
            targets[i] = batch.samples().get(i).target();
        }
        Sample like = batch.samples().get(0);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String id : batch.methodIds()) {
            out.put(id, new double[batch.size()]);
        }
        // the trained model's |map| and its ranks, made once for all stages
        Map<String, double[][]> originals = new LinkedHashMap<>();
        Map<String, double[][]> originalRanks = new LinkedHashMap<>();
        for (String id : batch.methodIds()) {
            double[][] maps = new double[batch.size()][];
            double[][] ranks = new double[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                maps[i] = Maps.abs(batch.pixelMap(id, i));
                ranks[i] = Maps.ranks(maps[i]);
            }
            originals.put(id, maps);
            originalRanks.put(id, ranks);
        }
        Iterator<Classifier> cascade = model.cascade(topDown, batch.config().seed());
        for (int stage = 1; stage <= topDown.size(); stage++) {
            List<String> layers = topDown.subList(0, stage);
            // one randomized copy alive at a time: kept for the whole cascade, a 224x224 model's copies filled the heap
            Classifier randomized = cascade.next();
            for (String id : batch.methodIds()) {
                double[][] maps = batch.methods().explain(id, randomized, images, like, targets);
                for (int i = 0; i < batch.size(); i++) {
                    Sample sample = batch.samples().get(i);
                    double[] original = originals.get(id)[i];
                    double[] changed = Maps.abs(Maps.pixelMap(maps[i], sample));
                    double spearman = Similarity.pearson(originalRanks.get(id)[i], Maps.ranks(changed));
                    double ssim = Similarity.ssim(original, changed, sample.height(), sample.width());
                    String label = layers.get(layers.size() - 1);
                    batch.addCurve(new CurvePoint(sample.index(), id, SPEARMAN_CURVE, stage, stage, label, spearman));
                    batch.addCurve(new CurvePoint(sample.index(), id, SSIM_CURVE, stage, stage, label, ssim));
                    if (stage == topDown.size()) {
                        out.get(id)[i] = spearman;
                    }
                }
                batch.progress(1.0 / topDown.size());
            }
        }
        return out;
    }
}
