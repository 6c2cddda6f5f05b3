package org.xaiworkbench.explain.gradient;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.explain.AttributionResult;
import org.xaiworkbench.explain.Baseline;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientMethodsTest {
    private static final int SIZE = 8;
    private static final GraphClassifier NET = TinyClassifiers.miniVgg(5, DataType.DOUBLE, SIZE);

    private static INDArray images(long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, n, 3, SIZE, SIZE);
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @Test
    void integratedGradientsAndDeepLiftAreExactOnALinearModel() {
        Nd4j.getRandom().setSeed(1);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 3, 2 * 4 * 4);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 3);
        GraphClassifier linear = TinyClassifiers.linear(w, b, 2, 4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4);
        INDArray reference = Nd4j.rand(DataType.DOUBLE, 1, 2, 4, 4);
        int[] classes = {2, 0};
        for (Baseline baseline : List.of(Baseline.black(), Baseline.image(reference))) {
            INDArray b0 = baseline.kind() == Baseline.Kind.ZERO ? Nd4j.zeros(DataType.DOUBLE, 1, 2, 4, 4) : reference;
            for (IntegrationRule rule : IntegrationRule.values()) {
                IntegratedGradients ig = new IntegratedGradients(linear,
                        IntegratedGradients.Options.defaults().withSteps(3, rule).withBaseline(baseline));
                AttributionResult result = ig.attribute(x, Target.perImage(classes));
                for (int i = 0; i < 2; i++) {
                    INDArray expected = x.get(NDArrayIndex.point(i)).sub(b0.get(NDArrayIndex.point(0)))
                            .mul(w.getRow(classes[i]).reshape(2, 4, 4));
                    assertEquals(0, maxAbs(result.attributions().get(NDArrayIndex.point(i)).sub(expected)), 1e-12, rule + " " + baseline);
                    assertEquals(0, result.convergenceDelta()[i], 1e-10);
                }
            }
            AttributionResult lift = new DeepLift(linear, new DeepLift.Options(baseline, 64, Score.LOGIT, 0)).attribute(x, Target.perImage(classes));
            for (int i = 0; i < 2; i++) {
                INDArray expected = x.get(NDArrayIndex.point(i)).sub(b0.get(NDArrayIndex.point(0)))
                        .mul(w.getRow(classes[i]).reshape(2, 4, 4));
                assertEquals(0, maxAbs(lift.attributions().get(NDArrayIndex.point(i)).sub(expected)), 1e-12);
            }
        }
        // a random baseline is drawn while attributing and again for the delta: only the same draw gives 0
        AttributionResult randomBaseline = new IntegratedGradients(linear,
                IntegratedGradients.Options.defaults().withSteps(3, IntegrationRule.GAUSS_LEGENDRE).withBaseline(Baseline.uniform()))
                .attribute(x, Target.perImage(classes));
        AttributionResult randomLift = new DeepLift(linear, new DeepLift.Options(Baseline.uniform(), 64, Score.LOGIT, 5)).attribute(x, Target.perImage(classes));
        for (int i = 0; i < 2; i++) {
            assertEquals(0, randomBaseline.convergenceDelta()[i], 1e-10);
            assertEquals(0, randomLift.convergenceDelta()[i], 1e-10);
        }
    }

    /** Counts the forward passes a method asks for. */
    private static final class CountingClassifier implements Classifier {
        private final Classifier model;
        int logitCalls;

        CountingClassifier(Classifier model) {
            this.model = model;
        }

        @Override
        public int numClasses() {
            return model.numClasses();
        }

        @Override
        public List<String> classNames() {
            return model.classNames();
        }

        @Override
        public List<String> layerNames() {
            return model.layerNames();
        }

        @Override
        public INDArray logits(INDArray x) {
            logitCalls++;
            return model.logits(x);
        }

        @Override
        public INDArray scoreGradient(INDArray x, int[] classes, Score score) {
            return model.scoreGradient(x, classes, score);
        }

        @Override
        public LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
            return model.capture(x, layer, classes, score);
        }
    }

    @Test
    void aBlackBaselineIsScoredOnceAndABlurredOneEveryCall() {
        Nd4j.getRandom().setSeed(4);
        CountingClassifier counting = new CountingClassifier(TinyClassifiers.linear(Nd4j.randn(DataType.DOUBLE, 3, 2 * 4 * 4),
                Nd4j.randn(DataType.DOUBLE, 3), 2, 4));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4);
        IntegratedGradients.Options options = IntegratedGradients.Options.defaults().withSteps(3, IntegrationRule.GAUSS_LEGENDRE);
        for (Baseline baseline : List.of(Baseline.black(), Baseline.blur(1))) {
            IntegratedGradients ig = new IntegratedGradients(counting, options.withBaseline(baseline));
            ig.attribute(x, Target.perImage(2, 0));
            counting.logitCalls = 0;
            AttributionResult again = ig.attribute(x, Target.perImage(2, 0));
            // one pass at the inputs for their scores, plus one at the baselines unless they are kept
            assertEquals(baseline.kind() == Baseline.Kind.ZERO ? 1 : 2, counting.logitCalls, baseline.toString());
            for (double delta : again.convergenceDelta()) {
                assertEquals(0, delta, 1e-10);
            }
        }
    }

    @Test
    void integrationRulesIntegrateLowOrderPolynomialsExactly() {
        for (IntegrationRule rule : IntegrationRule.values()) {
            IntegrationRule.Nodes nodes = rule.nodes(6);
            double weights = 0;
            double firstMoment = 0;
            for (int k = 0; k < 6; k++) {
                weights += nodes.weights()[k];
                firstMoment += nodes.weights()[k] * nodes.alphas()[k];
            }
            assertEquals(1, weights, 1e-12, rule.name());
            if (rule == IntegrationRule.GAUSS_LEGENDRE || rule == IntegrationRule.RIEMANN_MIDDLE || rule == IntegrationRule.RIEMANN_TRAPEZOID) {
                assertEquals(0.5, firstMoment, 1e-12, rule.name());
            }
        }
        IntegrationRule.Nodes gauss = IntegrationRule.GAUSS_LEGENDRE.nodes(4);
        double seventh = 0;
        for (int k = 0; k < 4; k++) {
            seventh += gauss.weights()[k] * Math.pow(gauss.alphas()[k], 7);
        }
        assertEquals(1.0 / 8, seventh, 1e-12);
    }

    @Test
    void completenessDeltaShrinksAsStepsGrow() {
        INDArray x = images(2, 2);
        for (IntegrationRule rule : List.of(IntegrationRule.RIEMANN_LEFT, IntegrationRule.RIEMANN_TRAPEZOID, IntegrationRule.GAUSS_LEGENDRE)) {
            double coarse = worstDelta(NET, Score.LOGIT, x, 4, rule);
            double fine = worstDelta(NET, Score.LOGIT, x, 128, rule);
            assertTrue(fine < coarse / 4 && fine < 0.05, rule + ": " + coarse + " -> " + fine);
        }
    }

    @Test
    void gaussLegendreReachesADeltaWithFewerStepsThanRiemannOnASmoothScore() {
        // the probability of a linear model is smooth along the path, where Gauss-Legendre converges
        // geometrically and Riemann sums as 1/steps (on a ReLU network the integrand has kinks and
        // neither rule is reliably better)
        Nd4j.getRandom().setSeed(3);
        GraphClassifier linear = TinyClassifiers.linear(Nd4j.randn(DataType.DOUBLE, 4, 3 * 4 * 4).muli(0.5),
                Nd4j.randn(DataType.DOUBLE, 4), 3, 4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 4);
        double target = 1e-6;
        assertTrue(worstDelta(linear, Score.PROBABILITY, x, 12, IntegrationRule.GAUSS_LEGENDRE) < target);
        assertTrue(worstDelta(linear, Score.PROBABILITY, x, 12, IntegrationRule.RIEMANN_TRAPEZOID) > target);
        assertTrue(worstDelta(linear, Score.PROBABILITY, x, 128, IntegrationRule.RIEMANN_LEFT) > target);
    }

    private static double worstDelta(Classifier model, Score score, INDArray x, int steps, IntegrationRule rule) {
        IntegratedGradients ig = new IntegratedGradients(model, new IntegratedGradients.Options(steps, rule, Baseline.black(), 64, score, 0));
        double worst = 0;
        for (double d : ig.attribute(x, Target.predicted()).convergenceDelta()) {
            worst = Math.max(worst, Math.abs(d));
        }
        return worst;
    }

    @Test
    void saliencyIsTheFiniteDifferenceGradient() {
        INDArray x = images(3, 2);
        int[] classes = {4, 7};
        INDArray signed = new Saliency(NET, new Saliency.Options(false, Score.LOGIT)).attribute(x, Target.perImage(classes)).attributions();
        INDArray absolute = new Saliency(NET).attribute(x, Target.perImage(classes)).attributions();
        assertEquals(0, maxAbs(Transforms.abs(signed).sub(absolute)), 0);
        double h = 1e-6;
        for (int probe = 0; probe < 8; probe++) {
            int[] at = {probe % 2, probe % 3, (probe * 7) % SIZE, (probe * 5 + 3) % SIZE};
            INDArray plus = x.dup();
            plus.putScalar(at, x.getDouble(at) + h);
            INDArray minus = x.dup();
            minus.putScalar(at, x.getDouble(at) - h);
            double numeric = (NET.logits(plus).getDouble(at[0], classes[at[0]]) - NET.logits(minus).getDouble(at[0], classes[at[0]])) / (2 * h);
            assertEquals(numeric, signed.getDouble(at), 1e-6);
        }
        INDArray ixg = new InputXGradient(NET).attribute(x, Target.perImage(classes)).attributions();
        assertEquals(0, maxAbs(ixg.sub(signed.mul(x))), 1e-12);
    }

    @Test
    void noiseTunnelWithoutNoiseIsItsBaseMethod() {
        INDArray x = images(4, 2);
        INDArray saliency = new Saliency(NET).attribute(x, Target.predicted()).attributions();
        for (NoiseTunnel.Variant variant : NoiseTunnel.Variant.values()) {
            NoiseTunnel tunnel = new NoiseTunnel("t", new Saliency(NET), new NoiseTunnel.Options(variant, 5, 0.0, 3, Score.LOGIT, 0));
            INDArray smoothed = tunnel.attribute(x, Target.predicted()).attributions();
            INDArray expected = switch (variant) {
                case SMOOTHGRAD -> saliency;
                case SMOOTHGRAD_SQUARED -> saliency.mul(saliency);
                case VARGRAD -> Nd4j.zeros(DataType.DOUBLE, saliency.shape());
            };
            assertEquals(0, maxAbs(smoothed.sub(expected)), 1e-12, variant.name());
        }
        NoiseTunnel noisy = new NoiseTunnel("t", new Saliency(NET), new NoiseTunnel.Options(NoiseTunnel.Variant.SMOOTHGRAD, 5, 0.1, 3, Score.LOGIT, 0));
        assertTrue(maxAbs(noisy.attribute(x, Target.predicted()).attributions().sub(saliency)) > 1e-6);
    }

    @Test
    void deepLiftAndDeepShapContributionsSumToTheLogitDifference() {
        INDArray x = images(6, 3);
        INDArray background = images(7, 4);
        AttributionResult lift = new DeepLift(NET).attribute(x, Target.predicted());
        AttributionResult shap = new DeepShap(NET, DeepShap.Options.defaults().withBackground(background)).attribute(x, Target.topK(2));
        INDArray logits = NET.logits(x);
        INDArray backgroundLogits = NET.logits(background).mean(0);
        INDArray blackLogits = NET.logits(Nd4j.zeros(DataType.DOUBLE, 1, 3, SIZE, SIZE));
        for (int r = 0; r < lift.rows(); r++) {
            double expected = logits.getDouble(r, lift.targets()[r]) - blackLogits.getDouble(0, lift.targets()[r]);
            assertEquals(expected, lift.row(r).sumNumber().doubleValue(), 1e-6 * Math.max(1, Math.abs(expected)));
            assertEquals(0, lift.convergenceDelta()[r], 1e-6);
        }
        for (int r = 0; r < shap.rows(); r++) {
            int image = shap.image()[r];
            double expected = logits.getDouble(image, shap.targets()[r]) - backgroundLogits.getDouble(shap.targets()[r]);
            assertEquals(expected, shap.row(r).sumNumber().doubleValue(), 1e-6 * Math.max(1, Math.abs(expected)));
            assertEquals(0, shap.convergenceDelta()[r], 1e-6 * Math.max(1, Math.abs(expected)));
        }
        // the rescale rule is not the gradient: on a ReLU network DeepLIFT differs from gradient x input
        INDArray ixg = new InputXGradient(NET).attribute(x, Target.predicted()).attributions();
        assertTrue(maxAbs(ixg.sub(lift.attributions())) > 1e-6);
    }

    @Test
    void seededMethodsAreDeterministicAndIndependentOfInternalBatching() {
        INDArray x = images(8, 3);
        Target target = Target.perImage(1, 2, 3);
        List<Supplier<Attribution>> pairs = List.of(
                () -> new GradientShap(NET, new GradientShap.Options(6, 0.05, null, 64, Score.LOGIT, 9)),
                () -> new GradientShap(NET, new GradientShap.Options(6, 0.05, null, 1, Score.LOGIT, 9)),
                () -> new IntegratedGradients(NET, new IntegratedGradients.Options(5, IntegrationRule.GAUSS_LEGENDRE, Baseline.uniform(), 64, Score.LOGIT, 9)),
                () -> new IntegratedGradients(NET, new IntegratedGradients.Options(5, IntegrationRule.GAUSS_LEGENDRE, Baseline.uniform(), 2, Score.LOGIT, 9)),
                () -> new NoiseTunnel("sg", new Saliency(NET), new NoiseTunnel.Options(NoiseTunnel.Variant.SMOOTHGRAD, 4, 0.1, 64, Score.LOGIT, 9)),
                () -> new NoiseTunnel("sg", new Saliency(NET), new NoiseTunnel.Options(NoiseTunnel.Variant.SMOOTHGRAD, 4, 0.1, 3, Score.LOGIT, 9)),
                () -> new DeepShap(NET, new DeepShap.Options(null, 64, Score.LOGIT, 9)),
                () -> new DeepShap(NET, new DeepShap.Options(null, 5, Score.LOGIT, 9)));
        for (int p = 0; p < pairs.size(); p += 2) {
            INDArray first = pairs.get(p).get().attribute(x, target).attributions();
            INDArray again = pairs.get(p).get().attribute(x, target).attributions();
            INDArray rebatched = pairs.get(p + 1).get().attribute(x, target).attributions();
            assertEquals(0, maxAbs(first.sub(again)), 0, "pair " + p);
            assertEquals(0, maxAbs(first.sub(rebatched)), 1e-10, "pair " + p);
        }
        INDArray seed9 = new GradientShap(NET, new GradientShap.Options(6, 0.05, null, 64, Score.LOGIT, 9)).attribute(x, target).attributions();
        INDArray seed10 = new GradientShap(NET, new GradientShap.Options(6, 0.05, null, 64, Score.LOGIT, 10)).attribute(x, target).attributions();
        assertTrue(maxAbs(seed9.sub(seed10)) > 1e-9);
    }

    @Test
    void deterministicMethodsGiveTheSameRowsOneByOneAsInOneCall() {
        INDArray x = images(9, 3);
        int[] classes = {0, 5, 9};
        List<Attribution> methods = List.of(new Saliency(NET), new InputXGradient(NET),
                new IntegratedGradients(NET, IntegratedGradients.Options.defaults().withSteps(7, IntegrationRule.RIEMANN_TRAPEZOID)),
                new DeepLift(NET), new DeepShap(NET));
        for (Attribution method : methods) {
            INDArray together = method.attribute(x, Target.perImage(classes)).attributions();
            for (int i = 0; i < 3; i++) {
                INDArray alone = method.attribute(x.get(NDArrayIndex.interval(i, i + 1)), Target.fixed(classes[i])).attributions();
                assertEquals(0, maxAbs(alone.sub(together.get(NDArrayIndex.interval(i, i + 1)))), 1e-10, method.id());
            }
        }
    }

    @Test
    void blurredBaselineKeepsConstantImagesAndSmoothsEdges() {
        double[] constant = new double[2 * 5 * 5];
        Arrays.fill(constant, 0.3);
        for (double v : Baseline.blur(1.5).of(constant, 2, 5, 5, null)) {
            assertEquals(0.3, v, 1e-12);
        }
        double[] step = new double[8 * 8];
        for (int y = 0; y < 8; y++) {
            for (int xx = 4; xx < 8; xx++) {
                step[y * 8 + xx] = 1;
            }
        }
        double[] smooth = Baseline.blur(1).of(step, 1, 8, 8, null);
        assertTrue(smooth[3 * 8 + 3] > 0 && smooth[3 * 8 + 3] < 0.5 && smooth[3 * 8 + 4] > 0.5 && smooth[3 * 8 + 4] < 1);
        assertEquals(1, smooth[3 * 8 + 3] + smooth[3 * 8 + 4], 1e-12);
    }

    @Test
    void badOptionsAreRejectedNamingTheOption() {
        assertMessage("steps", () -> new IntegratedGradients.Options(0, IntegrationRule.GAUSS_LEGENDRE, Baseline.black(), 64, Score.LOGIT, 0));
        assertMessage("internalBatchSize", () -> new IntegratedGradients.Options(5, IntegrationRule.GAUSS_LEGENDRE, Baseline.black(), 0, Score.LOGIT, 0));
        assertMessage("steps", () -> new IntegratedGradients.Options(1, IntegrationRule.RIEMANN_TRAPEZOID, Baseline.black(), 8, Score.LOGIT, 0));
        assertMessage("sigma", () -> Baseline.blur(-1));
        assertMessage("nSamples", () -> new NoiseTunnel.Options(NoiseTunnel.Variant.VARGRAD, 0, 0.1, 8, Score.LOGIT, 0));
        assertMessage("stdev", () -> new NoiseTunnel.Options(NoiseTunnel.Variant.VARGRAD, 5, -0.1, 8, Score.LOGIT, 0));
        assertMessage("stdev", () -> new GradientShap.Options(5, Double.NaN, null, 8, Score.LOGIT, 0));
        assertMessage("background", () -> new DeepShap.Options(Nd4j.zeros(3, SIZE, SIZE), 8, Score.LOGIT, 0));
        assertMessage("score", () -> new Saliency.Options(true, null));
        Classifier notAGraph = new Classifier() {
            public int numClasses() {
                return NET.numClasses();
            }

            public List<String> classNames() {
                return NET.classNames();
            }

            public List<String> layerNames() {
                return NET.layerNames();
            }

            public INDArray logits(INDArray x) {
                return NET.logits(x);
            }

            public INDArray scoreGradient(INDArray x, int[] c, Score s) {
                return NET.scoreGradient(x, c, s);
            }

            public LayerCapture capture(INDArray x, String l, int[] c, Score s) {
                return NET.capture(x, l, c, s);
            }
        };
        assertMessage("deeplift", () -> new DeepLift(notAGraph).attribute(images(1, 1), Target.predicted()));
        INDArray wrongSize = Nd4j.zeros(DataType.DOUBLE, 1, 3, 2 * SIZE, 2 * SIZE);
        assertMessage("background", () -> new DeepShap(NET, DeepShap.Options.defaults().withBackground(wrongSize))
                .attribute(images(1, 1), Target.predicted()));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage() != null && e.getMessage().contains(expected), String.valueOf(e.getMessage()));
    }
}
