package org.xaiworkbench.explain.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.explain.AbstractAttribution;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Scores;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;

import java.util.Arrays;

/**
 * f(baseline) for the completeness delta of a method with one baseline per row. A black or given
 * baseline is the same image for every input, so its scores are computed once per input shape and
 * kept (one forward pass less per call); a blurred, mean-colour or random baseline is rebuilt per
 * row, replaying the row's random stream.
 */
final class BaselineScores {
    private final Classifier classifier;
    private final Score score;
    private final Baseline baseline;
    private long[] shape;
    private double[] fixedScores;

    BaselineScores(Classifier classifier, Score score, Baseline baseline) {
        this.classifier = classifier;
        this.score = score;
        this.baseline = baseline;
    }

    /** The score of each row's class at that row's baseline. */
    double[] of(AbstractAttribution.Attributed attributed) {
        if (baseline.kind() != Baseline.Kind.ZERO && baseline.kind() != Baseline.Kind.IMAGE) {
            return perRow(attributed);
        }
        double[] all = fixedScores(attributed.rows());
        int[] classes = attributed.classes();
        double[] out = new double[classes.length];
        for (int i = 0; i < classes.length; i++) {
            out[i] = all[classes[i]];
        }
        return out;
    }

    private double[] perRow(AbstractAttribution.Attributed attributed) {
        INDArray rows = attributed.rows();
        return Rows.scores(classifier, score, Rows.baselines(baseline, Rows.images(rows), rows, attributed.random()), attributed.classes(),
                rows);
    }

    private synchronized double[] fixedScores(INDArray rows) {
        long[] key = {rows.size(1), rows.size(2), rows.size(3)};
        if (!Arrays.equals(key, shape)) {
            double[] image = baseline.of(new double[Rows.imageSize(rows)], (int) key[0], (int) key[1], (int) key[2], null);
            fixedScores = Scores.of(classifier.logits(Rows.batch(image, 1, rows)), score).toDoubleVector();
            shape = key;
        }
        return fixedScores;
    }
}
