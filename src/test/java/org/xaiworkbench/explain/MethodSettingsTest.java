package org.xaiworkbench.explain;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.gradient.IntegratedGradients;
import org.xaiworkbench.explain.gradient.IntegrationRule;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Method options from the command line, the run's score for every method, and the provenance derived from options. */
class MethodSettingsTest {
    private static final GraphClassifier MODEL = TinyClassifiers.miniVgg(17, DataType.FLOAT);

    private static Attribution create(String id, Score score, String... assignments) {
        return AttributionRegistry.create(id, MethodContext.of(MODEL).withSettings(AttributionRegistry.settings(List.of(assignments), score)));
    }

    private static String refusal(String id, Score score, String... assignments) {
        return assertThrows(IllegalArgumentException.class, () -> create(id, score, assignments)).getMessage();
    }

    @Test
    void setChangesOnlyTheNamedOptionsAndParsesEachToItsType() {
        IntegratedGradients ig = (IntegratedGradients) create(IntegratedGradients.ID, null,
                "integrated-gradients.steps=100", "integrated-gradients.rule=riemann-trapezoid");
        IntegratedGradients.Options defaults = IntegratedGradients.Options.defaults();
        assertEquals(100, ig.settings().steps());
        assertEquals(IntegrationRule.RIEMANN_TRAPEZOID, ig.settings().rule());
        assertEquals(defaults.internalBatchSize(), ig.settings().internalBatchSize());
        assertEquals(defaults.baseline().toString(), ig.settings().baseline().toString());

        Occlusion occlusion = (Occlusion) create(Occlusion.ID, null, "occlusion.windowH=4", "occlusion.baseline=ZERO",
                "occlusion.blurSigma=0.5");
        assertEquals(4, occlusion.settings().windowH());
        assertEquals(Baseline.Kind.ZERO, occlusion.settings().baseline());
        assertEquals(0.5, occlusion.settings().blurSigma());
    }

    @Test
    void badAssignmentsGetOneLineNamingTheFlagAndWhatIsValid() {
        String unknownKey = refusal(IntegratedGradients.ID, null, "integrated-gradients.step=100");
        assertTrue(unknownKey.startsWith("--set integrated-gradients.step=100: unknown option"), unknownKey);
        assertTrue(unknownKey.contains("steps (int)") && unknownKey.contains("rule ("), unknownKey);
        assertFalse(unknownKey.contains("baseline"), "a baseline object cannot be typed on a command line: " + unknownKey);

        String notANumber = refusal(IntegratedGradients.ID, null, "integrated-gradients.steps=many");
        assertTrue(notANumber.startsWith("--set integrated-gradients.steps=many: expected int"), notANumber);

        String outOfRange = refusal(IntegratedGradients.ID, null, "integrated-gradients.steps=0");
        assertTrue(outOfRange.startsWith("--set integrated-gradients.steps=0: integrated-gradients steps must be in 1..10000, got 0"), outOfRange);

        String otherVariant = refusal("smoothgrad", null, "smoothgrad.variant=vargrad");
        assertTrue(otherVariant.startsWith("--set smoothgrad.variant=vargrad: smoothgrad is the"), otherVariant);
        String noSuchLayer = refusal("grad-cam", null, "grad-cam.layer=conv_layers.99");
        assertTrue(noSuchLayer.startsWith("--set grad-cam.layer=conv_layers.99: grad-cam: layer 'conv_layers.99'"), noSuchLayer);

        String badEnum = refusal(Occlusion.ID, null, "occlusion.baseline=grey");
        assertTrue(badEnum.contains("expected zero|blur"), badEnum);

        for (String malformed : new String[]{"steps=3", "integrated-gradients.=3", "integrated-gradients.steps"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AttributionRegistry.settings(List.of(malformed), null));
            assertTrue(e.getMessage().contains("expected method.key=value"), e.getMessage());
        }
        IllegalArgumentException unknownMethod = assertThrows(IllegalArgumentException.class,
                () -> AttributionRegistry.settings(List.of("integrated-gradient.steps=3"), null));
        assertTrue(unknownMethod.getMessage().contains("unknown method 'integrated-gradient'"), unknownMethod.getMessage());
        for (String message : List.of(unknownKey, notANumber, outOfRange, badEnum, unknownMethod.getMessage())) {
            assertFalse(message.contains("\n"), message);
        }
    }

    /**
     * With --score probability every method attributes the softmax probability (its target scores are
     * the probabilities) or refuses when it is built, in one line naming itself: never half a run.
     */
    @TestFactory
    Stream<DynamicTest> everyMethodAttributesProbabilityOrRefusesWhenBuilt() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32);
        INDArray probabilities = MODEL.probabilities(x);
        Set<String> refused = new TreeSet<>();
        Stream<DynamicTest> methods = AttributionRegistry.ids().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
            Attribution method;
            try {
                method = create(id, Score.PROBABILITY);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("--score probability: " + id + " explains logits only"), e.getMessage());
                refused.add(id);
                return;
            }
            AttributionResult result = method.attribute(x, Target.predicted());
            int target = result.targets()[0];
            assertEquals(probabilities.getDouble(0, target), result.targetScores()[0], 1e-5, id);
            assertEquals("probability", result.options().get("score"), id);
            assertFalse(result.attributions().isNaN().any(), id);
        }));
        return Stream.concat(methods, Stream.of(DynamicTest.dynamicTest("only the rescale-rule and relevance methods refuse",
                () -> assertEquals(Set.of("deeplift", "deep-shap", "lrp-epsilon", "lrp-epsilon-plus-flat", "lrp-epsilon-gamma-box",
                        "lrp-epsilon-alpha2-beta1"), refused))));
    }

    @Test
    void probabilitySaliencyIsTheGradientOfTheSoftmaxProbability() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 32, 32);
        GraphClassifier model = TinyClassifiers.miniVgg(17, DataType.DOUBLE);
        Attribution saliency = AttributionRegistry.create("saliency", MethodContext.of(model).withSettings(
                AttributionRegistry.settings(List.of("saliency.abs=false"), Score.PROBABILITY)));
        AttributionResult result = saliency.attribute(x, Target.fixed(3));
        double h = 1e-5;
        for (int pixel : new int[]{0, 517, 2000, 3071}) {
            INDArray up = x.dup();
            INDArray down = x.dup();
            up.putScalar(pixel, x.getDouble(pixel) + h);
            down.putScalar(pixel, x.getDouble(pixel) - h);
            double numeric = (model.probabilities(up).getDouble(0, 3) - model.probabilities(down).getDouble(0, 3)) / (2 * h);
            assertEquals(numeric, result.attributions().getDouble(pixel), 1e-6 + 1e-4 * Math.abs(numeric), "pixel " + pixel);
        }
    }

    @Test
    void provenanceIsEveryComponentOfTheOptionsRecord() {
        for (String id : AttributionRegistry.ids()) {
            AbstractAttribution<?> method = (AbstractAttribution<?>) AttributionRegistry.create(id, MODEL);
            Map<String, Object> provenance = method.provenance();
            for (RecordComponent component : method.settings().getClass().getRecordComponents()) {
                assertTrue(provenance.containsKey(component.getName()), id + " lacks " + component.getName() + " in " + provenance);
            }
            // RISE's reference explains the softmax output; every other reference explains the logit
            assertEquals(id.equals(org.xaiworkbench.explain.perturbation.Rise.ID) ? "probability" : "logit", provenance.get("score"), id);
        }
        Map<String, Object> ig = Provenance.of(IntegratedGradients.Options.defaults());
        assertEquals(Arrays.asList("steps", "rule", "baseline", "internalBatchSize", "score", "seed"), List.copyOf(ig.keySet()));
        assertEquals("gauss-legendre", ig.get("rule"));
        assertEquals(50, ig.get("steps"));
    }
}
