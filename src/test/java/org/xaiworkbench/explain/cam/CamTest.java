package org.xaiworkbench.explain.cam;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.AttributionResult;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;
import org.xaiworkbench.model.vgg.VggSpec;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CamTest {
    private static final double TOL = 1e-9;

    /** A classifier whose capture() returns chosen arrays, so the CAM arithmetic can be done by hand. */
    private static final class ChosenCapture implements Classifier {
        final INDArray activation;
        final INDArray gradient;
        int[] lastClasses;

        ChosenCapture(double[][][] activation, double[][][] gradient) {
            this.activation = Nd4j.create(activation).reshape(1, activation.length, activation[0].length, activation[0][0].length);
            this.gradient = Nd4j.create(gradient).reshape(this.activation.shape());
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public List<String> classNames() {
            return List.of("a", "b");
        }

        @Override
        public List<String> layerNames() {
            return List.of("features");
        }

        @Override
        public INDArray logits(INDArray x) {
            return Nd4j.create(new double[][]{{0.0, 1.0}}).repeat(0, x.size(0));
        }

        @Override
        public INDArray scoreGradient(INDArray x, int[] classes, Score score) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LayerCapture capture(INDArray x, String layer, int[] classes, Score score) {
            lastClasses = classes.clone();
            return new LayerCapture(layer, activation, gradient);
        }
    }

    @Test
    void gradCamWeighsChannelsByMeanGradientThenReluAndUpsamples() {
        // channel weights: mean(0.5) = 0.5 and mean(-1) = -1; sum = [[1*.5-4, 2*.5], [3*.5, 4*.5]] -> ReLU [[0,1],[1.5,2]]
        ChosenCapture fake = new ChosenCapture(
                new double[][][]{{{1, 2}, {3, 4}}, {{4, 0}, {0, 0}}},
                new double[][][]{{{0.5, 0.5}, {0.5, 0.5}}, {{-1, -1}, {-1, -1}}});
        AttributionResult result = new GradCam(fake).attribute(Nd4j.zeros(DataType.DOUBLE, 1, 3, 4, 4), Target.predicted());
        INDArray map = result.attributions();
        assertArrayEquals(new long[]{1, 1, 4, 4}, map.shape());
        assertArrayEquals(new int[]{1}, fake.lastClasses, "the predicted class is the one differentiated");
        // half-pixel bilinear 2 -> 4: output 0 and 3 sit on the input pixels, 1 and 2 at 1/4 and 3/4 between them
        assertEquals(0.0, map.getDouble(0, 0, 0, 0), TOL);
        assertEquals(1.0, map.getDouble(0, 0, 0, 3), TOL);
        assertEquals(1.5, map.getDouble(0, 0, 3, 0), TOL);
        assertEquals(2.0, map.getDouble(0, 0, 3, 3), TOL);
        double top = 0 * 0.75 + 1 * 0.25;
        double bottom = 1.5 * 0.75 + 2 * 0.25;
        assertEquals(top * 0.75 + bottom * 0.25, map.getDouble(0, 0, 1, 1), TOL);
        assertEquals(0 * 0.25 + 1 * 0.75, map.getDouble(0, 0, 0, 2), TOL);
    }

    @Test
    void gradCamPlusPlusUsesSecondOrderAlphas() {
        // channel 0: sum A = 2; g = 1 -> alpha 1/(2+2) ; g = 2 -> 4/(8+2*8) = 1/6 ; g = -1 and 0 add nothing (relu, alpha 0)
        // channel 1: sum A = 8; g = .5 -> .25/(.5 + 8*.125) = 1/6 each; w = 4 * (1/6) * .5 = 1/3
        ChosenCapture fake = new ChosenCapture(
                new double[][][]{{{1, 0}, {0, 1}}, {{2, 2}, {2, 2}}},
                new double[][][]{{{1, 2}, {-1, 0}}, {{0.5, 0.5}, {0.5, 0.5}}});
        GradCamPlusPlus method = new GradCamPlusPlus(fake);
        double[] weights = method.channelWeights(
                new AbstractCam.Planes(HostValues.of(fake.activation), HostValues.of(fake.gradient), 1, 2, 4));
        double w0 = 1.0 / (4 + 1e-6) + 2 * 4.0 / (24 + 1e-6);
        double w1 = 4 * 0.5 * 0.25 / (1.5 + 1e-6);
        assertEquals(w0, weights[0], TOL);
        assertEquals(w1, weights[1], TOL);
        INDArray map = method.attribute(Nd4j.zeros(DataType.DOUBLE, 1, 3, 2, 2), Target.fixed(0)).attributions();
        assertEquals(w0 + 2 * w1, map.getDouble(0, 0, 0, 0), TOL);
        assertEquals(2 * w1, map.getDouble(0, 0, 0, 1), TOL);
        assertEquals(w0 + 2 * w1, map.getDouble(0, 0, 1, 1), TOL);
        assertArrayEquals(new int[]{0}, fake.lastClasses);
    }

    @Test
    void layerSaliencyIsMaxAbsGradientOverChannels() {
        ChosenCapture fake = new ChosenCapture(
                new double[][][]{{{0, 0}, {0, 0}}, {{0, 0}, {0, 0}}},
                new double[][][]{{{1, -3}, {0.5, 0}}, {{-2, 1}, {0.25, -0.1}}});
        INDArray map = new LayerSaliency(fake, new AbstractCam.Options("features", Score.LOGIT))
                .attribute(Nd4j.zeros(DataType.DOUBLE, 1, 3, 2, 2), Target.predicted()).attributions();
        assertArrayEquals(new double[]{2, 3, 0.5, 0.1}, map.reshape(4).toDoubleVector(), TOL);
    }

    @Test
    void rejectsUnknownLayerNamingTheChoices() {
        ChosenCapture fake = new ChosenCapture(new double[][][]{{{1}}}, new double[][][]{{{1}}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GradCam(fake, new AbstractCam.Options("conv_layers.99", Score.LOGIT)));
        assertTrue(e.getMessage().contains("conv_layers.99") && e.getMessage().contains("features"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AbstractCam.Options(" ", Score.LOGIT));
    }

    @Test
    void defaultLayerIsLastConvBeforeFinalPoolOnVggAndLastModuleElsewhere() {
        assertEquals("features", AbstractCam.Options.defaults(
                new ChosenCapture(new double[][][]{{{1}}}, new double[][][]{{{1}}})).layer());
        assertEquals("conv_layers.13", AbstractCam.Options.defaults(TinyClassifiers.miniVgg(1, DataType.DOUBLE, 16)).layer(),
                "the last layer with an image output, passing over the final pool");
        assertTrue(AttributionRegistry.ids().containsAll(List.of(GradCam.ID, GradCamPlusPlus.ID)));
        assertFalse(new GradCam(new ChosenCapture(new double[][][]{{{1}}}, new double[][][]{{{1}}})).signed());
    }

    /**
     * A real graph: conv 1->2 (3x3, pad 1), ReLU, linear 32->2. The logit is linear in the ReLU output A,
     * so dlogit_c/dA = W_c reshaped to [2,4,4] (PyTorch flattening order), and Grad-CAM is
     * relu(sum_k mean(W_c,k) A_k), computed here by direct convolution.
     */
    @Test
    void gradCamOnTinyNetworkMatchesHandComputation() {
        List<VggSpec.Module> modules = List.of(
                new VggSpec.Module("conv", VggSpec.Kind.CONV, 1, 2, 2, 4, 4),
                new VggSpec.Module("relu", VggSpec.Kind.RELU, 2, 2, 2, 4, 4),
                new VggSpec.Module("fc", VggSpec.Kind.LINEAR, 32, 2, 2, 1, 1));
        double[] kernel = {0.2, -0.1, 0.3, 0.5, 1.0, -0.4, 0.1, 0.2, -0.3, -0.5, 0.4, 0.1, 0.3, -0.2, 0.6, 0.2, 0.1, -0.1};
        double[] bias = {0.05, -0.02};
        double[] fc = new double[64];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = Math.sin(1.7 * i + 0.3) * (i < 32 ? 1 : 0.5);
        }
        Map<String, INDArray> weights = Map.of(
                "conv.weight", Nd4j.create(kernel, new long[]{2, 1, 3, 3}, DataType.DOUBLE),
                "conv.bias", Nd4j.create(bias, new long[]{2}, DataType.DOUBLE),
                "fc.weight", Nd4j.create(fc, new long[]{2, 32}, DataType.DOUBLE),
                "fc.bias", Nd4j.zeros(DataType.DOUBLE, 2));
        GraphClassifier net = new GraphClassifier(VggSpec.graph(modules, weights, 1, 4), null, List.of("a", "b"), DataType.DOUBLE);
        double[] x = new double[16];
        for (int i = 0; i < 16; i++) {
            x[i] = Math.abs(Math.cos(0.9 * i));
        }
        INDArray input = Nd4j.create(x, new long[]{1, 1, 4, 4}, DataType.DOUBLE);
        int target = 0;
        INDArray map = new GradCam(net, new AbstractCam.Options("relu", Score.LOGIT))
                .attribute(input, Target.fixed(target)).attributions();

        double[] expected = new double[16];
        for (int k = 0; k < 2; k++) {
            double meanGradient = 0;
            for (int p = 0; p < 16; p++) {
                meanGradient += fc[target * 32 + k * 16 + p] / 16;
            }
            for (int y = 0; y < 4; y++) {
                for (int xx = 0; xx < 4; xx++) {
                    double z = bias[k];
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int sy = y + dy;
                            int sx = xx + dx;
                            if (sy >= 0 && sy < 4 && sx >= 0 && sx < 4) {
                                z += kernel[k * 9 + (dy + 1) * 3 + (dx + 1)] * x[sy * 4 + sx];
                            }
                        }
                    }
                    expected[y * 4 + xx] += meanGradient * Math.max(z, 0);
                }
            }
        }
        for (int p = 0; p < 16; p++) {
            expected[p] = Math.max(expected[p], 0);
        }
        assertTrue(java.util.Arrays.stream(expected).anyMatch(v -> v > 0), "fixture must give a non-trivial map");
        assertArrayEquals(expected, map.reshape(16).toDoubleVector(), 1e-9);
    }

    /** Activations and gradients of two channels on a 2x2 layer, the input 2x2 too, so no resizing enters. */
    private static ChosenCapture twoChannels() {
        return new ChosenCapture(
                new double[][][]{{{1, 2}, {3, 4}}, {{4, 0}, {0, -1}}},
                new double[][][]{{{0.5, -1}, {2, 1}}, {{-1, 3}, {0.5, 2}}});
    }

    private static double[] map(AbstractCam method) {
        return method.attribute(Nd4j.zeros(DataType.DOUBLE, 1, 3, 2, 2), Target.fixed(1)).attributions().reshape(4).toDoubleVector();
    }

    @Test
    void elementWiseVariantsFollowTheirClosedForms() {
        // G*A: channel 0 [.5, -2, 6, 4], channel 1 [-4, 0, 0, -2]; relu(G)*A: channel 1 [0, 0, 0, -2]
        AbstractCam.Options options = new AbstractCam.Options("features", Score.LOGIT);
        assertArrayEquals(new double[]{0, 0, 6, 2}, map(new HiResCam(twoChannels(), options)), TOL, "HiResCAM: relu(sum G*A)");
        assertArrayEquals(new double[]{0.5, 0, 6, 4}, map(new GradCamElementWise(twoChannels(), options)), TOL, "sum relu(G*A)");
        assertArrayEquals(new double[]{0.5, 0, 6, 2}, map(new LayerCam(twoChannels(), options)), TOL, "LayerCAM: relu(sum relu(G)*A)");
    }

    @Test
    void xGradCamWeighsChannelsByActivationWeightedGradients() {
        double w0 = (0.5 - 2 + 6 + 4) / (10 + 1e-7);
        double w1 = (-4.0 - 2) / (3 + 1e-7);
        double[] expected = {1 * w0 + 4 * w1, 2 * w0, 3 * w0, 4 * w0 - w1};
        for (int p = 0; p < 4; p++) {
            expected[p] = Math.max(expected[p], 0);
        }
        assertArrayEquals(expected, map(new XGradCam(twoChannels(), new AbstractCam.Options("features", Score.LOGIT))), TOL);
    }

    /** A[k][p] = a[k] * s[p] + k: rank one once each channel is centred. */
    private static double[][][] rankOne(double[] a, double[] s) {
        double[][][] activation = new double[a.length][2][2];
        for (int k = 0; k < a.length; k++) {
            for (int p = 0; p < 4; p++) {
                activation[k][p / 2][p % 2] = a[k] * s[p] + k;
            }
        }
        return activation;
    }

    @Test
    void eigenCamOfARankOneActivationIsItsCentredSpatialPatternOrientedPositive() {
        double[] s = {3, 1, 0, -1};
        // centred: (2.25, .25, -.75, -1.75), largest magnitude already positive; the projection is |a| times it
        for (double[] a : new double[][]{{1, -2, 0.5}, {1, -2, 0.5, 2, -1}}) {
            double norm = Math.sqrt(java.util.Arrays.stream(a).map(v -> v * v).sum());
            double[] expected = {2.25 * norm, 0.25 * norm, 0, 0};
            double[][][] zeros = new double[a.length][2][2];
            AbstractCam.Options options = new AbstractCam.Options("features", Score.LOGIT);
            assertArrayEquals(expected, map(new EigenCam(new ChosenCapture(rankOne(a, s), zeros), options)), 1e-9,
                    a.length + " channels, 4 pixels");
            double[] flipped = java.util.Arrays.stream(s).map(v -> -v).toArray();
            assertArrayEquals(expected, map(new EigenCam(new ChosenCapture(rankOne(a, flipped), zeros), options)), 1e-9,
                    "the pattern's sign does not change the map");
            double[][][] ones = new double[a.length][2][2];
            for (double[][] plane : ones) {
                for (double[] row : plane) {
                    java.util.Arrays.fill(row, 1);
                }
            }
            assertArrayEquals(expected, map(new EigenGradCam(new ChosenCapture(rankOne(a, s), ones), options)), 1e-9,
                    "EigenGrad-CAM with unit gradients is Eigen-CAM");
        }
    }

    @Test
    void hiResCamEqualsGradCamOnALayerFollowedOnlyByGlobalAveragePooling() {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(5);
        List<org.xaiworkbench.model.graph.LayerGraph.Node> nodes = List.of(
                new org.xaiworkbench.model.graph.LayerGraph.Node("conv",
                        org.xaiworkbench.model.graph.Conv.simple(Nd4j.randn(DataType.DOUBLE, 4, 3, 3, 3), Nd4j.randn(DataType.DOUBLE, 4), 1),
                        org.xaiworkbench.model.graph.LayerGraph.INPUT),
                new org.xaiworkbench.model.graph.LayerGraph.Node("relu", org.xaiworkbench.model.graph.Activation.relu(), "conv"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("gap", new org.xaiworkbench.model.graph.GlobalAveragePool(), "relu"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("flat", new org.xaiworkbench.model.graph.Flatten(), "gap"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("fc",
                        new org.xaiworkbench.model.graph.Dense(Nd4j.randn(DataType.DOUBLE, 3, 4), Nd4j.randn(DataType.DOUBLE, 3)), "flat"));
        GraphClassifier net = new GraphClassifier(new org.xaiworkbench.model.graph.LayerGraph(3, 6, 6, nodes), null,
                List.of("a", "b", "c"), DataType.DOUBLE);
        AbstractCam.Options options = new AbstractCam.Options("relu", Score.LOGIT);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 6, 6);
        INDArray hiRes = new HiResCam(net, options).attribute(x, Target.perImage(0, 1, 2)).attributions();
        INDArray gradCam = new GradCam(net, options).attribute(x, Target.perImage(0, 1, 2)).attributions();
        assertTrue(gradCam.sumNumber().doubleValue() > 0, "fixture must give non-trivial maps");
        assertTrue(hiRes.equalsWithEps(gradCam, 1e-12));
        INDArray elsewhere = new HiResCam(net, new AbstractCam.Options("conv", Score.LOGIT)).attribute(x, Target.perImage(0, 1, 2)).attributions();
        assertFalse(elsewhere.equalsWithEps(new GradCam(net, new AbstractCam.Options("conv", Score.LOGIT))
                .attribute(x, Target.perImage(0, 1, 2)).attributions(), 1e-6), "before the ReLU the gradient varies over pixels");
    }

    @Test
    void guidedGradCamIsGuidedBackpropTimesTheResizedGradCamMap() {
        GraphClassifier vgg = TinyClassifiers.miniVgg(2, DataType.DOUBLE, 16);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 16, 16);
        Target classes = Target.perImage(3, 7);
        // at the first ReLU the map has the input's size, so resizing is the identity for both
        AbstractCam.Options options = new AbstractCam.Options("conv_layers.1", Score.LOGIT);
        INDArray guided = new org.xaiworkbench.explain.gradient.GuidedBackprop(vgg,
                org.xaiworkbench.explain.gradient.ModifiedReluGradient.Options.defaults()).attribute(x, classes).attributions();
        INDArray cam = new GradCam(vgg, options).attribute(x, classes).attributions();
        INDArray product = new GuidedGradCam(vgg, options).attribute(x, classes).attributions();
        assertTrue(cam.sumNumber().doubleValue() > 0 && guided.norm2Number().doubleValue() > 0, "fixture must give non-trivial maps");
        assertTrue(product.equalsWithEps(guided.mul(cam), 1e-12));
    }

    @Test
    void nearestResizingCopiesTheSourcePixelAtFloorOfTheScaledIndex() {
        // 3 -> 7: floor(x * 3/7) = 0,0,0,1,1,2,2
        INDArray out = Upsampling.nearest(new double[]{1, 2, 3}, 1, 1, 3, 1, 7, DataType.DOUBLE);
        assertArrayEquals(new double[]{1, 1, 1, 2, 2, 3, 3}, out.reshape(7).toDoubleVector(), 0);
        INDArray square = Upsampling.nearest(new double[]{1, 2, 3, 4}, 1, 2, 2, 4, 4, DataType.DOUBLE);
        assertArrayEquals(new double[]{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, square.reshape(16).toDoubleVector(), 0);
    }

    /** conv (channels filters of 3x3) -> ReLU -> global average pool -> dense to 3 classes, on 3x6x6 pictures. */
    private static GraphClassifier pooledConv(int channels, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<org.xaiworkbench.model.graph.LayerGraph.Node> nodes = List.of(
                new org.xaiworkbench.model.graph.LayerGraph.Node("conv", org.xaiworkbench.model.graph.Conv.simple(
                        Nd4j.randn(DataType.DOUBLE, channels, 3, 3, 3), Nd4j.randn(DataType.DOUBLE, channels).addi(1), 1),
                        org.xaiworkbench.model.graph.LayerGraph.INPUT),
                new org.xaiworkbench.model.graph.LayerGraph.Node("relu", org.xaiworkbench.model.graph.Activation.relu(), "conv"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("gap", new org.xaiworkbench.model.graph.GlobalAveragePool(), "relu"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("flat", new org.xaiworkbench.model.graph.Flatten(), "gap"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("fc", new org.xaiworkbench.model.graph.Dense(
                        Nd4j.randn(DataType.DOUBLE, 3, channels), Nd4j.randn(DataType.DOUBLE, 3)), "flat"));
        return new GraphClassifier(new org.xaiworkbench.model.graph.LayerGraph(3, 6, 6, nodes), null, List.of("a", "b", "c"), DataType.DOUBLE);
    }

    /** (v - min) / (1e-7 + max - min) over one plane, as pytorch-grad-cam scales each of FullGrad's planes. */
    private static double[] scaled(double[] plane) {
        double min = java.util.Arrays.stream(plane).min().orElseThrow();
        double max = java.util.Arrays.stream(plane).max().orElseThrow();
        return java.util.Arrays.stream(plane).map(v -> (v - min) / (1e-7 + max - min)).toArray();
    }

    @Test
    void fullGradSumsTheScaledInputAndBiasGradientPlanes() {
        // s = sum_k v_k mean(relu(conv_k)) + c: the gradient at conv_k is v_k / 36 where conv_k > 0, else 0
        GraphClassifier net = pooledConv(3, 12);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 6, 6);
        int target = 1;
        INDArray conv = net.capture(x, "conv", new int[]{target}, Score.LOGIT).activation();
        INDArray v = ((org.xaiworkbench.model.graph.Dense) net.layerGraph().node("fc").op()).weight();
        INDArray b = ((org.xaiworkbench.model.graph.Conv) net.layerGraph().node("conv").op()).bias();
        INDArray inputGradient = net.scoreGradient(x, new int[]{target}, Score.LOGIT);
        double[] expected = new double[36];
        for (int c = 0; c < 3; c++) {
            double[] plane = new double[36];
            for (int p = 0; p < 36; p++) {
                plane[p] = Math.abs(inputGradient.getDouble(0, c, p / 6, p % 6) * x.getDouble(0, c, p / 6, p % 6));
            }
            add(expected, scaled(plane));
        }
        for (int k = 0; k < 3; k++) {
            double[] plane = new double[36];
            for (int p = 0; p < 36; p++) {
                boolean open = conv.getDouble(0, k, p / 6, p % 6) > 0;
                plane[p] = open ? Math.abs(b.getDouble(k) * v.getDouble(target, k) / 36) : 0;
            }
            add(expected, scaled(plane));
        }
        assertEquals(java.util.List.of("conv"), java.util.List.copyOf(net.channelBiases().keySet()), "the one layer with a bias");
        double[] map = new FullGrad(net, FullGrad.Options.defaults()).attribute(x, Target.fixed(target)).attributions()
                .reshape(36).toDoubleVector();
        assertArrayEquals(expected, map, 1e-9);
        assertThrows(org.xaiworkbench.explain.MethodRefusal.class, () -> new FullGrad(new ChosenCapture(
                new double[][][]{{{0}}}, new double[][][]{{{0}}}), FullGrad.Options.defaults()), "biases are read from a layer graph");
    }

    private static void add(double[] sum, double[] plane) {
        for (int p = 0; p < sum.length; p++) {
            sum[p] += plane[p];
        }
    }

    @Test
    void ablationCamWeighsEachChannelByTheScoresRelativeDropWithoutIt() {
        // s = sum_k v_k mean(A_k) + b, so zeroing channel k drops s by v_k mean(A_k): w_k = v_k mean(A_k) / s
        GraphClassifier net = pooledConv(3, 8);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 6, 6);
        int target = 2;
        AbstractCam.Options options = new AbstractCam.Options("relu", Score.LOGIT);
        INDArray activation = net.capture(x, "relu", new int[]{target}, Score.LOGIT).activation();
        double score = net.logits(x).getDouble(0, target);
        INDArray v = ((org.xaiworkbench.model.graph.Dense) net.layerGraph().node("fc").op()).weight();
        double[] expected = new double[36];
        for (int k = 0; k < 3; k++) {
            double[] plane = activation.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(k))
                    .dup().reshape(36).toDoubleVector();
            double weight = v.getDouble(target, k) * java.util.Arrays.stream(plane).average().orElseThrow() / score;
            for (int p = 0; p < 36; p++) {
                expected[p] += weight * plane[p];
            }
        }
        for (int p = 0; p < 36; p++) {
            expected[p] = Math.max(expected[p], 0);
        }
        double[] map = new AblationCam(net, options).attribute(x, Target.fixed(target)).attributions().reshape(36).toDoubleVector();
        assertTrue(java.util.Arrays.stream(expected).anyMatch(value -> value > 0), "fixture must give a non-trivial map");
        // the ablated activations go through the rest of the network in float, as every perturbation method's batches
        assertArrayEquals(expected, map, 1e-6 * java.util.Arrays.stream(expected).max().orElseThrow());
    }

    @Test
    void scoreCamOfOneChannelIsThatChannelAndOfScoresThatIgnoreThePictureTheChannelsMean() {
        GraphClassifier single = pooledConv(1, 9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 6, 6);
        AbstractCam.Options options = new AbstractCam.Options("relu", Score.LOGIT);
        INDArray activation = single.capture(x, "relu", new int[]{0, 1}, Score.LOGIT).activation();
        INDArray map = new ScoreCam(single, options).attribute(x, Target.perImage(0, 1)).attributions();
        assertTrue(activation.sumNumber().doubleValue() > 0, "fixture must give a non-trivial map");
        assertTrue(map.equalsWithEps(activation, 1e-12), "a softmax over one channel weighs it 1");

        GraphClassifier blind = pooledConv(2, 10);
        List<org.xaiworkbench.model.graph.LayerGraph.Node> nodes = new java.util.ArrayList<>(blind.layerGraph().nodes());
        org.xaiworkbench.model.graph.Dense fc = (org.xaiworkbench.model.graph.Dense) nodes.get(4).op();
        nodes.set(4, new org.xaiworkbench.model.graph.LayerGraph.Node("fc",
                new org.xaiworkbench.model.graph.Dense(fc.weight().mul(0), fc.bias()), "flat"));
        GraphClassifier constant = new GraphClassifier(new org.xaiworkbench.model.graph.LayerGraph(3, 6, 6, nodes), null,
                List.of("a", "b", "c"), DataType.DOUBLE);
        INDArray both = constant.capture(x, "relu", new int[]{0, 1}, Score.LOGIT).activation();
        INDArray mean = both.sum(true, 1).divi(2);
        assertTrue(new ScoreCam(constant, options).attribute(x, Target.perImage(0, 1)).attributions().equalsWithEps(mean, 1e-12),
                "equal scores weigh every channel 1/C");
    }

    @Test
    void ablationCamRefusesALayerThatASkipConnectionCrosses() {
        Nd4j.getRandom().setSeed(4);
        List<org.xaiworkbench.model.graph.LayerGraph.Node> nodes = List.of(
                new org.xaiworkbench.model.graph.LayerGraph.Node("a", org.xaiworkbench.model.graph.Conv.simple(
                        Nd4j.randn(DataType.DOUBLE, 2, 3, 3, 3), null, 1), org.xaiworkbench.model.graph.LayerGraph.INPUT),
                new org.xaiworkbench.model.graph.LayerGraph.Node("r", org.xaiworkbench.model.graph.Activation.relu(), "a"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("b", org.xaiworkbench.model.graph.Conv.simple(
                        Nd4j.randn(DataType.DOUBLE, 2, 2, 3, 3), null, 1), "r"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("sum", new org.xaiworkbench.model.graph.Add(), List.of("b", "r")),
                new org.xaiworkbench.model.graph.LayerGraph.Node("gap", new org.xaiworkbench.model.graph.GlobalAveragePool(), "sum"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("flat", new org.xaiworkbench.model.graph.Flatten(), "gap"),
                new org.xaiworkbench.model.graph.LayerGraph.Node("fc", new org.xaiworkbench.model.graph.Dense(
                        Nd4j.randn(DataType.DOUBLE, 2, 2), null), "flat"));
        GraphClassifier residual = new GraphClassifier(new org.xaiworkbench.model.graph.LayerGraph(3, 5, 5, nodes), null,
                List.of("a", "b"), DataType.DOUBLE);
        org.xaiworkbench.explain.MethodRefusal refusal = assertThrows(org.xaiworkbench.explain.MethodRefusal.class,
                () -> new AblationCam(residual, new AbstractCam.Options("b", Score.LOGIT)));
        assertTrue(refusal.getMessage().contains("'sum'") && refusal.getMessage().contains("'r'"), refusal.getMessage());
        GraphClassifier rest = residual.tailFrom("r");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 5);
        INDArray atLayer = residual.capture(x, "r", new int[]{0, 0}, Score.LOGIT).activation();
        assertTrue(rest.logits(atLayer).equalsWithEps(residual.logits(x), 1e-10), "the rest of the network from r on is the network");
    }

    @Test
    void alignedCornersResizingPutsTheCornersOnTheCorners() {
        // 2 -> 3 with corners aligned samples 0, 0.5, 1
        assertArrayEquals(new double[]{1, 2, 3}, Upsampling.bilinearAlignedCorners(new double[]{1, 3}, 1, 1, 2, 1, 3), 1e-12);
        assertArrayEquals(new double[]{5, 5, 5, 5}, Upsampling.bilinearAlignedCorners(new double[]{5}, 1, 1, 1, 2, 2), 1e-12);
    }
}
