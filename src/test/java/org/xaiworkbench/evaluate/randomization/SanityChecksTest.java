package org.xaiworkbench.evaluate.randomization;

import org.xaiworkbench.evaluate.Controls;
import org.xaiworkbench.evaluate.CurvePoint;
import org.xaiworkbench.evaluate.EvaluationBatch;
import org.xaiworkbench.evaluate.EvaluationConfig;
import org.xaiworkbench.evaluate.EvaluationFixtures;
import org.xaiworkbench.evaluate.MethodSuite;
import org.xaiworkbench.evaluate.Probe;
import org.xaiworkbench.evaluate.Sample;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.TinyClassifiers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model- and class-randomization checks on a small VGG with random weights. */
class SanityChecksTest {
    private final GraphClassifier model = TinyClassifiers.miniVgg(3, DataType.DOUBLE, 16);
    private final List<Sample> samples = EvaluationFixtures.samples(model, EvaluationFixtures.images(3, 3, 16, 9));

    private EvaluationBatch batch() {
        MethodSuite suite = EvaluationFixtures.suite(model, List.of("saliency"));
        return new EvaluationBatch(samples, EvaluationFixtures.explain(suite, samples), suite, new Probe(model, 64, DataType.DOUBLE),
                EvaluationConfig.defaults());
    }

    @Test
    void modelIndependentControlsStayIdenticalAndSaliencyDecorrelates() {
        EvaluationBatch batch = batch();
        Map<String, double[]> values = new ModelRandomization().values(batch);
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(1, values.get(Controls.EDGES)[i], 1e-12, "the edge map ignores the model");
            assertEquals(1, values.get(Controls.CENTRE)[i], 1e-12);
        }
        double saliency = Arrays.stream(values.get("saliency")).average().orElseThrow();
        assertTrue(saliency < 0.5, "saliency on a destroyed model should not resemble the original, Spearman " + saliency);
        List<CurvePoint> cascade = batch.curves().stream()
                .filter(p -> p.method().equals("saliency") && p.image() == 0 && p.curve().equals(ModelRandomization.SPEARMAN_CURVE))
                .toList();
        List<String> layers = model.parameterLayers();
        assertEquals(layers.size(), cascade.size(), "one stage per layer with parameters");
        assertEquals(layers.get(layers.size() - 1), cascade.get(0).label(), "the top layer is randomized first");
        assertEquals(layers.get(0), cascade.get(cascade.size() - 1).label());
        assertEquals(cascade.get(cascade.size() - 1).y(), values.get("saliency")[0], 1e-12, "the value is the last stage's");
    }

    @Test
    void classRandomizationSeesNoDifferenceInControlsButInSaliency() {
        Map<String, double[]> values = new ClassRandomization().values(batch());
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(1, values.get(Controls.EDGES)[i], 1e-12);
            assertTrue(values.get("saliency")[i] < 1 - 1e-6, "another class's gradient differs");
        }
    }

    @Test
    void reinitialisedLayersChangeAndTheOthersStay() {
        List<String> layers = model.parameterLayers();
        GraphClassifier top = model.reinitialized(List.of(layers.get(layers.size() - 1)), 5);
        GraphClassifier again = model.reinitialized(List.of(layers.get(layers.size() - 1)), 5);
        double[] image = samples.get(0).pixels();
        double[] original = EvaluationFixtures.logits(model, image);
        double[] changed = EvaluationFixtures.logits(top, image);
        assertTrue(Arrays.stream(original).map(Math::abs).sum() > 0);
        assertTrue(!Arrays.equals(original, changed), "a new top layer changes the logits");
        assertTrue(Arrays.equals(changed, EvaluationFixtures.logits(again, image)), "seeded");
        INDArray x = EvaluationFixtures.tensor(List.of(image), 3, 16);
        String below = model.layerNames().get(model.layerNames().size() - 1);
        assertEquals(model.capture(x, below, new int[]{0}, Score.LOGIT).activation(),
                top.capture(x, below, new int[]{0}, Score.LOGIT).activation(), "the layers below the randomized one are unchanged");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.reinitialized(List.of("conv_layers.1"), 5));
        assertTrue(e.getMessage().contains("conv_layers.1"), e.getMessage());
    }

    @Test
    void eachStageOfTheCascadeEqualsItsLayersReinitialisedAtOnce() {
        List<String> topDown = new java.util.ArrayList<>(model.parameterLayers());
        java.util.Collections.reverse(topDown);
        double[] image = samples.get(0).pixels();
        java.util.Iterator<org.xaiworkbench.model.Classifier> cascade = model.cascade(topDown, 7);
        for (int stage = 1; stage <= topDown.size(); stage++) {
            GraphClassifier atOnce = model.reinitialized(topDown.subList(0, stage), 7);
            assertArrayEquals(EvaluationFixtures.logits(atOnce, image), EvaluationFixtures.logits(cascade.next(), image), 0,
                    "stage " + stage);
        }
        assertFalse(cascade.hasNext());
        assertThrows(java.util.NoSuchElementException.class, cascade::next);
    }
}
