package org.xaiworkbench.evaluate.faithfulness;

import org.xaiworkbench.evaluate.CurvePoint;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.EvaluationConfig;
import org.xaiworkbench.evaluate.Maps;
import org.xaiworkbench.evaluate.Probe;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.model.Score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ROAD (Rong et al. 2022), as pytorch-grad-cam's ROADMostRelevantFirstAverage and
 * ROADLeastRelevantFirstAverage: at each level, remove that share of the pixels ranked most relevant
 * (MoRF) or least relevant (LeRF), impute them ({@link NoisyLinearImputer}) and read the target score's
 * change from the image's own. The imputation noise of an image, level and order is the same for every
 * method, so methods differ only by their rankings.
 */
public final class RoadCurves {
    /** The option group of the three ROAD metrics: {@code --set road.KEY=VALUE}. */
    public static final String GROUP = "road";

    /**
     * @param fractions shares of the pixels removed, each in (0,1)
     * @param noise     standard deviation of the noise added to imputed pixels
     * @param score     the score whose change is read
     */
    public record Options(double[] fractions, double noise, Score score) {
        public Options {
            if (fractions == null || fractions.length == 0 || Arrays.stream(fractions).anyMatch(f -> !(f > 0 && f < 1))) {
                throw new IllegalArgumentException("fractions must be shares in (0,1), got "
                        + (fractions == null ? "none" : Arrays.toString(fractions)));
            }
            if (!(noise >= 0)) {
                throw new IllegalArgumentException("noise must be >= 0, got " + noise);
            }
            if (score == null) {
                throw new IllegalArgumentException("score must be given");
            }
            fractions = fractions.clone();
        }

        @Override
        public double[] fractions() {
            return fractions.clone();
        }

        /** pytorch-grad-cam's ROAD averages: 10 % to 90 % in steps of 10, noise 0.01, on the probability. */
        public static Options defaults() {
            return new Options(new double[]{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, 0.01, Score.PROBABILITY);
        }

        String key() {
            return GROUP + ":" + Arrays.toString(fractions) + ":" + noise + ":" + score;
        }
    }

    /** Per method id, per image, the score change at each level. */
    record Curves(Map<String, double[][]> morf, Map<String, double[][]> lerf) {
    }

    private RoadCurves() {
    }

    static Curves of(EvaluationBatch batch, Options options) {
        return batch.memo(options.key(), () -> compute(batch, options));
    }

    static Map<String, double[]> means(Map<String, double[][]> curves) {
        Map<String, double[]> out = new LinkedHashMap<>();
        curves.forEach((id, perImage) -> {
            double[] values = new double[perImage.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = Arrays.stream(perImage[i]).average().orElseThrow();
            }
            out.put(id, values);
        });
        return out;
    }

    private static Curves compute(EvaluationBatch batch, Options options) {
        EvaluationConfig config = batch.config();
        double[] levels = options.fractions();
        Score score = options.score();
        List<String> methods = batch.methodIds();
        Map<String, double[][]> morf = new LinkedHashMap<>();
        Map<String, double[][]> lerf = new LinkedHashMap<>();
        for (String id : methods) {
            morf.put(id, new double[batch.size()][levels.length]);
            lerf.put(id, new double[batch.size()][levels.length]);
        }
        for (int i = 0; i < batch.size(); i++) {
            Sample sample = batch.samples().get(i);
            int plane = sample.pixelCount();
            List<double[]> images = new ArrayList<>();
            for (String id : methods) {
                int[] order = Maps.descendingOrder(batch.pixelMap(id, i));
                for (int l = 0; l < levels.length; l++) {
                    int count = (int) Math.round(levels[l] * plane);
                    for (boolean mostRelevant : new boolean[]{true, false}) {
                        boolean[] removed = new boolean[plane];
                        for (int k = 0; k < count; k++) {
                            removed[order[mostRelevant ? k : plane - 1 - k]] = true;
                        }
                        SplittableRandom noise = config.random((mostRelevant ? "road-morf-" : "road-lerf-") + l, sample.index());
                        images.add(NoisyLinearImputer.impute(sample.pixels(), sample.channels(), sample.height(), sample.width(),
                                removed, options.noise(), noise));
                    }
                }
            }
            double[] scores = batch.probe().scores(images, sample, sample.target(), score);
            double original = Probe.score(sample.logits(), sample.target(), score);
            int next = 0;
            for (String id : methods) {
                for (int l = 0; l < levels.length; l++) {
                    morf.get(id)[i][l] = scores[next++] - original;
                    lerf.get(id)[i][l] = scores[next++] - original;
                    batch.addCurve(new CurvePoint(sample.index(), id, "road-morf", l, levels[l], "", morf.get(id)[i][l]));
                    batch.addCurve(new CurvePoint(sample.index(), id, "road-lerf", l, levels[l], "", lerf.get(id)[i][l]));
                }
            }
        }
        return new Curves(morf, lerf);
    }
}
