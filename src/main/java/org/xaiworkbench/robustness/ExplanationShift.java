package org.xaiworkbench.robustness;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.AttributionResult;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.WithLogits;
import org.xaiworkbench.viz.ExplanationFigures.MapView;
import org.xaiworkbench.viz.Heatmap;
import org.xaiworkbench.viz.RobustnessFigures;
import org.xaiworkbench.viz.RobustnessFigures.ExplainedRow;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the explanation move with the prediction? Saliency and Integrated Gradients of each image for
 * its predicted class, before and after an attack, side by side, and the cosine similarity of the
 * two maps' magnitudes (1: the same pixels matter, 0: disjoint evidence).
 */
final class ExplanationShift {
    static final List<String> METHODS = List.of("saliency", "integrated-gradients");

    /** One image and method: predicted classes before and after, and how alike the maps are. */
    record Shift(int image, String method, int cleanClass, int adversarialClass, double cosineSimilarity) {
    }

    private ExplanationShift() {
    }

    /**
     * @param ids     test-set index of each image, for titles and file names
     * @param label   what the adversarial row is, e.g. "pgd ε=8/255"
     * @return the shifts; empty, with a warning, when the attribution methods are not registered
     */
    static List<Shift> run(Classifier classifier, INDArray clean, INDArray adversarial, int[] ids, int[] labels,
                           String label, Path dir, PrintStream out) throws IOException {
        List<Attribution> methods = new ArrayList<>();
        for (String id : METHODS) {
            try {
                methods.add(AttributionRegistry.create(id, classifier));
            } catch (IllegalArgumentException e) {
                out.println("warning: skipping the explanation figures, " + e.getMessage());
                return List.of();
            }
        }
        INDArray cleanProbabilities = classifier.probabilities(clean);
        INDArray adversarialProbabilities = classifier.probabilities(adversarial);
        int[] cleanClasses = WithLogits.argMax(cleanProbabilities);
        int[] adversarialClasses = WithLogits.argMax(adversarialProbabilities);
        List<AttributionResult> before = new ArrayList<>();
        List<AttributionResult> after = new ArrayList<>();
        for (Attribution method : methods) {
            before.add(method.attribute(clean, Target.perImage(cleanClasses)));
            after.add(method.attribute(adversarial, Target.perImage(adversarialClasses)));
        }
        List<String> names = classifier.classNames();
        List<Shift> shifts = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            INDArray cleanImage = row(clean, i);
            INDArray adversarialImage = row(adversarial, i);
            String cleanCaption = String.format("clean: %s %.1f%%", names.get(cleanClasses[i]),
                    100 * cleanProbabilities.getDouble(i, cleanClasses[i]));
            String adversarialCaption = String.format("%s: %s %.1f%%", label, names.get(adversarialClasses[i]),
                    100 * adversarialProbabilities.getDouble(i, adversarialClasses[i]));
            List<MapView> cleanMaps = new ArrayList<>();
            List<MapView> adversarialMaps = new ArrayList<>();
            for (int m = 0; m < methods.size(); m++) {
                Attribution method = methods.get(m);
                cleanMaps.add(new MapView(method.id() + " for " + names.get(cleanClasses[i]), before.get(m).row(i), method.signed()));
                adversarialMaps.add(new MapView(method.id() + " for " + names.get(adversarialClasses[i]), after.get(m).row(i),
                        method.signed()));
                shifts.add(new Shift(ids[i], method.id(), cleanClasses[i], adversarialClasses[i],
                        cosine(before.get(m).row(i), after.get(m).row(i))));
            }
            RobustnessFigures.explanations(String.format("test image %d (true: %s): explanations before and after %s",
                            ids[i], names.get(labels[i]), label),
                    List.of(new ExplainedRow(cleanCaption, cleanImage, cleanMaps),
                            new ExplainedRow(adversarialCaption, adversarialImage, adversarialMaps)),
                    dir.resolve(ids[i] + "_" + names.get(labels[i]) + ".png"));
        }
        return shifts;
    }

    /** Cosine similarity of the channel-summed magnitudes; NaN when either map is all zero. */
    static double cosine(INDArray a, INDArray b) {
        double[] u = Heatmap.of(a).magnitude().values();
        double[] v = Heatmap.of(b).magnitude().values();
        double dot = 0;
        double uu = 0;
        double vv = 0;
        for (int i = 0; i < u.length; i++) {
            dot += u[i] * v[i];
            uu += u[i] * u[i];
            vv += v[i] * v[i];
        }
        return uu == 0 || vv == 0 ? Double.NaN : dot / Math.sqrt(uu * vv);
    }

    static INDArray row(INDArray batch, int i) {
        return batch.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }
}
