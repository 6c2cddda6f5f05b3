package org.xaiworkbench.model.graph;

import org.xaiworkbench.model.LayerCapture;
import org.xaiworkbench.model.Score;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.MethodRefusal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The general layer graph: every op's gradient against finite differences, DeepLIFT's completeness, pooling borders. */
class LayerGraphClassifierTest {

    /**
     * A branched network with every op: batch norm, a stride-2 and a dilated convolution, average and
     * padded max pooling, a residual addition, a concatenation, five activations, global pooling.
     */
    static LayerGraph everyOp(long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<LayerGraph.Node> nodes = List.of(
                node("c1", Conv.simple(randn(0.4, 4, 3, 3, 3), randn(0.1, 4), 1), LayerGraph.INPUT),
                node("bn1", Affine.batchNorm(randn(0.3, 4).addi(1), randn(0.1, 4), randn(0.2, 4),
                        Nd4j.rand(DataType.DOUBLE, 4).addi(0.5), 1e-5), "c1"),
                node("r1", Activation.relu(), "bn1"),
                node("down", new Conv(randn(0.3, 4, 4, 3, 3), randn(0.1, 4), 2, 2, 1, 1, 1, 1), "r1"),
                node("avg", new Pool(Pool.Mode.AVERAGE, 3, 3, 2, 2, 1, 1, true), "r1"),
                new LayerGraph.Node("sum", new Add(), List.of("down", "avg")),
                node("leaky", new Activation(Activation.Function.LEAKY_RELU, 0.1), "sum"),
                node("dilated", new Conv(randn(0.3, 3, 4, 3, 3), null, 1, 1, 2, 2, 2, 2), "leaky"),
                node("elu", new Activation(Activation.Function.ELU, 0.7), "dilated"),
                node("max", new Pool(Pool.Mode.MAX, 3, 3, 1, 1, 1, 1, false), "leaky"),
                new LayerGraph.Node("cat", new Concat(), List.of("elu", "max")),
                node("sigmoid", new Activation(Activation.Function.SIGMOID, 0), "cat"),
                node("gap", new GlobalAveragePool(), "sigmoid"),
                node("flat", new Flatten(), "gap"),
                node("fc1", new Dense(randn(0.8, 5, 7), randn(0.1, 5)), "flat"),
                node("tanh", new Activation(Activation.Function.TANH, 0), "fc1"),
                node("drop", new Identity(), "tanh"),
                node("fc2", new Dense(randn(1.5, 3, 5), null), "drop"));
        return new LayerGraph(3, 8, 8, nodes);
    }

    /**
     * The mobile architectures' ops: asymmetric zero padding, a strided depthwise and a grouped
     * convolution, ReLU6, hard swish and hard sigmoid, SiLU and a squeeze-and-excitation scale
     * (products of two layers, one broadcast), a ceil-mode max-pool, a channel shuffle and a slice.
     */
    static LayerGraph mobileOps(long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<LayerGraph.Node> nodes = List.of(
                node("stem", Conv.simple(randn(0.5, 6, 3, 3, 3), randn(0.1, 6), 1), LayerGraph.INPUT),
                node("relu6", new Activation(Activation.Function.CLIP, 0, 0.6), "stem"),
                node("pad", new ZeroPad(0, 1, 1, 0), "relu6"),
                node("depthwise", new Conv(randn(0.6, 6, 1, 3, 3), randn(0.1, 6), 2, 2, 1, 1, 1, 1, 6), "pad"),
                node("sigmoid", new Activation(Activation.Function.SIGMOID, 0), "depthwise"),
                new LayerGraph.Node("silu", new Multiply(), List.of("depthwise", "sigmoid")),
                node("grouped", new Conv(randn(0.5, 6, 3, 3, 3), randn(0.1, 6), 1, 1, 1, 1, 1, 1, 2), "silu"),
                node("hswish", new Activation(Activation.Function.HARD_SWISH, 0), "grouped"),
                node("squeeze", new GlobalAveragePool(), "hswish"),
                node("excite", Conv.simple(randn(0.8, 6, 6, 1, 1), randn(0.3, 6), 0), "squeeze"),
                node("gate", new Activation(Activation.Function.HARD_SIGMOID, 1 / 6.0, 0.5), "excite"),
                new LayerGraph.Node("scaled", new Multiply(), List.of("hswish", "gate")),
                node("ceil", new Pool(Pool.Mode.MAX, 2, 2, 2, 2, 0, 0, false, true), "scaled"),
                node("shuffle", new ChannelPermute(new int[]{0, 3, 1, 4, 2, 5}), "ceil"),
                node("half", new ChannelSlice(2, 5), "shuffle"),
                node("gap", new GlobalAveragePool(), "half"),
                node("flat", new Flatten(), "gap"),
                node("fc", new Dense(randn(1.5, 3, 3), randn(0.1, 3)), "flat"));
        return new LayerGraph(3, 9, 9, nodes);
    }

    /**
     * The transformer ops on plain tensors: patches as tokens (a strided conv, reshape, transpose), a
     * class token, layer norm written out (mean, subtraction, power, sqrt, reciprocal), dense layers
     * on the last axis, single-head attention (q k^T, softmax, weights times v), GELU through erf,
     * residuals on images and on tokens (a 2x2 grid behind a class token), the class token's row; and a
     * ConvNeXt-style channels-last detour back to an image.
     */
    static LayerGraph transformerOps(long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<LayerGraph.Node> nodes = new java.util.ArrayList<>(List.of(
                node("patch", new Conv(randn(0.5, 4, 3, 2, 2), randn(0.1, 4), 2, 2, 0, 0, 1, 1), LayerGraph.INPUT),
                node("hwc", new Transpose(new int[]{1, 2, 0}), "patch"),
                node("scaled", new ConstantArithmetic(ConstantArithmetic.Operation.MULTIPLY, randn(1, 4), false), "hwc"),
                node("chw", new Transpose(new int[]{2, 0, 1}), "scaled"),
                new LayerGraph.Node("residual", new Add(), List.of("chw", "patch")),
                node("tokens", new Reshape(new long[]{4, 4}), "residual"),
                node("rows", new Transpose(new int[]{1, 0}), "tokens"),
                node("cls", new ConstantConcat(randn(0.5, 1, 4), 0), "rows"),
                node("cls-scaled", new ConstantArithmetic(ConstantArithmetic.Operation.MULTIPLY, randn(1, 1, 4), false), "cls"),
                new LayerGraph.Node("embedded", new Add(), List.of("cls", "cls-scaled")),
                node("mean", new Mean(new int[]{1}, true), "embedded"),
                node("negated", new ConstantArithmetic(ConstantArithmetic.Operation.MULTIPLY, Nd4j.scalar(-1.0), false), "mean"),
                new LayerGraph.Node("centred", new Add(), List.of("embedded", "negated")),
                node("square", new Activation(Activation.Function.POWER, 2), "centred"),
                node("variance", new Mean(new int[]{1}, true), "square"),
                node("eps", new ConstantArithmetic(ConstantArithmetic.Operation.ADD, Nd4j.scalar(1e-5), false), "variance"),
                node("sd", new Activation(Activation.Function.SQRT, 0), "eps"),
                node("inverse", new Activation(Activation.Function.RECIPROCAL, 0), "sd"),
                new LayerGraph.Node("normed", new Multiply(), List.of("centred", "inverse")),
                node("q", new Dense(randn(0.6, 4, 4), randn(0.1, 4)), "normed"),
                node("k", new Dense(randn(0.6, 4, 4), null), "normed"),
                node("kt", new Transpose(new int[]{1, 0}), "k"),
                new LayerGraph.Node("scores", new MatMul(), List.of("q", "kt")),
                node("weights", new Softmax(1), "scores"),
                new LayerGraph.Node("attended", new MatMul(), List.of("weights", "normed")),
                new LayerGraph.Node("stream", new Add(), List.of("attended", "normed")),
                node("half", new ConstantArithmetic(ConstantArithmetic.Operation.DIVIDE, Nd4j.scalar(1.41421356), false), "stream"),
                node("erf", new Activation(Activation.Function.ERF, 0), "half"),
                node("one", new ConstantArithmetic(ConstantArithmetic.Operation.ADD, Nd4j.scalar(1.0), false), "erf"),
                new LayerGraph.Node("gelu", new Multiply(), List.of("stream", "one")),
                node("first", new Slice(0, 0, 1), "gelu"),
                node("row", new Reshape(new long[]{4}), "first"),
                node("fc", new Dense(randn(1, 3, 4), randn(0.1, 3)), "row")));
        return new LayerGraph(3, 4, 4, nodes);
    }

    @Test
    void transformerOpsGradientsMatchFiniteDifferences() {
        LayerGraph graph = transformerOps(6);
        assertEquals(List.of("patch", "residual", "embedded", "stream"),
                new GraphClassifier(graph, null, List.of("a", "b", "c"), DataType.DOUBLE).layerNames(),
                "CAM layers are image outputs and token grids, not [H,W,C] tensors or other token tensors");
        assertArrayEquals(new long[]{5, 4}, graph.shapes().get("cls"));
        GraphClassifier c = new GraphClassifier(graph, GraphClassifierTest.NORM, List.of("a", "b", "c"), DataType.DOUBLE);
        INDArray x = GraphClassifierTest.images(12, 2, 3, 4, DataType.DOUBLE);
        int[] classes = {0, 2};
        assertLogitGradientMatchesFiniteDifferences(c, x, classes, 4);
        assertThrows(IllegalArgumentException.class, () -> c.rescaleMultipliers(x, x.mul(0.5), classes), "DeepLIFT refuses softmax");
        assertTrue(c.rescaleRuleRefusal().orElseThrow().contains("layer weights is a softmax"), "the refusal names the softmax layer");
        assertThrows(IllegalArgumentException.class, () -> new org.xaiworkbench.explain.gradient.DeepLift(c),
                "DeepLIFT is refused when it is built, before any image is explained");
    }

    /**
     * A token grid is the residual stream's patch tokens as pytorch-grad-cam's reshape_transform makes
     * them: class token dropped, token 1 + i*s + j at (i, j). Here the stream is residual * (1 + scale)
     * token by token, so its grid and gradient follow from the image layer before it in closed form.
     */
    @Test
    void tokenGridsAreThePatchTokensAsAnImage() {
        LayerGraph graph = transformerOps(6);
        assertEquals(Map.of("embedded", 2, "stream", 2), graph.tokenGrids());
        GraphClassifier c = new GraphClassifier(graph, GraphClassifierTest.NORM, List.of("a", "b", "c"), DataType.DOUBLE);
        assertEquals("embedded", c.defaultCamLayer(), "the stream after the last attention reaches the logits through its class token only");
        INDArray x = GraphClassifierTest.images(21, 2, 3, 4, DataType.DOUBLE);
        int[] classes = {2, 0};
        LayerCapture image = c.capture(x, "residual", classes, Score.LOGIT);
        LayerCapture tokens = c.capture(x, "embedded", classes, Score.LOGIT);
        INDArray onePlusScale = ((ConstantArithmetic) graph.node("cls-scaled").op()).constant()
                .castTo(DataType.DOUBLE).reshape(1, 4, 1, 1).add(1.0);
        assertArrayEquals(new long[]{2, 4, 2, 2}, tokens.activation().shape());
        assertTrue(image.activation().mul(onePlusScale).equalsWithEps(tokens.activation(), 1e-12), "the grid holds the patch tokens");
        assertTrue(tokens.gradient().mul(onePlusScale).equalsWithEps(image.gradient(), 1e-12), "and their gradients");
        assertTrue(tokens.gradient().amaxNumber().doubleValue() > 1e-3, "patch tokens before the attention have gradients");
        LayerCapture late = c.capture(x, "stream", classes, Score.LOGIT);
        assertEquals(0.0, late.gradient().amaxNumber().doubleValue(), 0.0, "after it, only the class token has one");
    }

    /** The default method list leaves out what refuses the model, with its reason; a method the user named fails in one line. */
    @Test
    void methodsRefusingTheModelAreSkippedUnlessNamed() {
        GraphClassifier c = new GraphClassifier(transformerOps(6), GraphClassifierTest.NORM, List.of("a", "b", "c"), DataType.DOUBLE);
        MethodContext context = MethodContext.of(c);
        List<String> ids = AttributionRegistry.ids();
        List<String> skipped = new ArrayList<>();
        var built = AttributionRegistry.createApplicable(ids, context, false, skipped::add);
        // DeepLIFT has no rule for the softmax, LRP none for the attention's products, Ablation-CAM no cut at a token grid
        List<String> refusing = List.of("deeplift", "deep-shap", "lrp-epsilon", "lrp-epsilon-plus-flat", "lrp-epsilon-gamma-box",
                "lrp-epsilon-alpha2-beta1", "ablation-cam");
        assertEquals(refusing, skipped.stream().map(reason -> reason.substring(0, reason.indexOf(' '))).toList());
        assertTrue(skipped.get(0).contains("softmax"), "the warning gives the reason");
        assertEquals(ids.stream().filter(id -> !refusing.contains(id)).toList(), List.copyOf(built.keySet()));
        assertThrows(MethodRefusal.class, () -> AttributionRegistry.createApplicable(
                List.of("saliency", "deeplift"), context, true, skipped::add));
        assertThrows(IllegalArgumentException.class, () -> AttributionRegistry.createApplicable(
                List.of("deeplift"), context, false, reason -> { }), "nothing left to run is an error");
    }

    /** Without the softmax, DeepLIFT's contributions through products of layers, reciprocals and erf still sum to the logit's change. */
    @Test
    void transformerOpsWithoutSoftmaxKeepDeepLiftComplete() {
        List<LayerGraph.Node> nodes = transformerOps(7).nodes().stream()
                .map(n -> n.name().equals("weights") ? new LayerGraph.Node("weights", new Activation(Activation.Function.TANH, 0),
                        n.inputs()) : n).toList();
        GraphClassifier c = new GraphClassifier(new LayerGraph(3, 4, 4, nodes), GraphClassifierTest.NORM, List.of("a", "b", "c"), DataType.DOUBLE);
        INDArray x = GraphClassifierTest.images(13, 2, 3, 4, DataType.DOUBLE);
        INDArray baseline = GraphClassifierTest.images(14, 2, 3, 4, DataType.DOUBLE).muli(0.3);
        int[] classes = {1, 2};
        assertTrue(c.rescaleRuleRefusal().isEmpty(), "no softmax, nothing to refuse");
        INDArray contributions = c.rescaleMultipliers(x, baseline, classes).mul(x.sub(baseline));
        INDArray gap = c.logits(x).sub(c.logits(baseline));
        for (int n = 0; n < 2; n++) {
            assertEquals(gap.getDouble(n, classes[n]), contributions.get(NDArrayIndex.point(n)).sumNumber().doubleValue(), 1e-6, "image " + n);
        }
    }

    /** A call's rows are bounded by memory: a 64-channel 512x512 activation is ~200 MB a row in float with its gradient. */
    @Test
    void largeModelsRunFewRowsPerGraphCall() {
        assertEquals(128, GraphClassifier.rowsPerCall(everyOp(1), DataType.DOUBLE), "small models: the most rows");
        LayerGraph big = new LayerGraph(3, 512, 512, List.of(
                node("conv", Conv.simple(randn(0.1, 64, 3, 3, 3), null, 1), LayerGraph.INPUT),
                node("gap", new GlobalAveragePool(), "conv"),
                node("flat", new Flatten(), "gap"),
                node("fc", new Dense(randn(1, 2, 64), null), "flat")));
        int rows = GraphClassifier.rowsPerCall(big, DataType.FLOAT);
        assertTrue(rows >= 1 && rows <= 10, "at most 2 GiB a call: " + rows);
        assertTrue(GraphClassifier.rowsPerCall(big, DataType.DOUBLE) <= (rows + 1) / 2 + 1, "double takes twice the memory");
    }

    @Test
    void theMobileOpsHaveTheirShapes() {
        Map<String, long[]> shapes = mobileOps(1).shapes();
        assertArrayEquals(new long[]{6, 10, 10}, shapes.get("pad"));
        assertArrayEquals(new long[]{6, 5, 5}, shapes.get("depthwise"));
        assertArrayEquals(new long[]{6, 5, 5}, shapes.get("scaled"), "the 1x1 gate broadcasts over the image");
        assertArrayEquals(new long[]{6, 3, 3}, shapes.get("ceil"), "ceil mode keeps the last, partial window");
        assertArrayEquals(new long[]{3, 3, 3}, shapes.get("half"));
    }

    @Test
    void mobileOpsGradientsMatchFiniteDifferencesAndDeepLiftIsComplete() {
        GraphClassifier c = new GraphClassifier(mobileOps(4), GraphClassifierTest.NORM, List.of("a", "b", "c"), DataType.DOUBLE);
        INDArray x = GraphClassifierTest.images(8, 2, 3, 9, DataType.DOUBLE);
        int[] classes = {1, 2};
        assertLogitGradientMatchesFiniteDifferences(c, x, classes, 9);

        INDArray baseline = GraphClassifierTest.images(9, 2, 3, 9, DataType.DOUBLE).muli(0.2);
        assertTrue(c.rescaleRuleRefusal().isEmpty(), "no softmax, nothing to refuse");
        INDArray contributions = c.rescaleMultipliers(x, baseline, classes).mul(x.sub(baseline));
        INDArray gap = c.logits(x).sub(c.logits(baseline));
        for (int n = 0; n < 2; n++) {
            assertEquals(gap.getDouble(n, classes[n]), contributions.get(NDArrayIndex.point(n)).sumNumber().doubleValue(), 1e-6,
                    "DeepLIFT's contributions sum to the logit's change, products included, image " + n);
        }
    }

    @Test
    void stridedConvolutionsGetTheirInputGradientWithoutWeightGradients() {
        Nd4j.getRandom().setSeed(5);
        // 2x2 windows at stride 3 on 9x9 reach rows and columns 0..7 only; a 3x3/2 padded one with another stride across
        LayerGraph graph = new LayerGraph(3, 9, 9, List.of(
                node("gapped", new Conv(randn(0.5, 4, 3, 2, 2), randn(0.1, 4), 3, 3, 0, 0, 1, 1), LayerGraph.INPUT),
                node("relu", Activation.relu(), "gapped"),
                node("mixed", new Conv(randn(0.4, 3, 4, 3, 3), null, 2, 1, 1, 1, 1, 1), "relu"),
                node("gap", new GlobalAveragePool(), "mixed"),
                node("flat", new Flatten(), "gap"),
                node("fc", new Dense(randn(1, 2, 3), null), "flat")));
        GraphClassifier c = new GraphClassifier(graph, null, List.of("a", "b"), DataType.DOUBLE);
        INDArray x = GraphClassifierTest.images(4, 2, 3, 9, DataType.DOUBLE);
        assertLogitGradientMatchesFiniteDifferences(c, x, new int[]{0, 1}, 9);
        INDArray grad = c.scoreGradient(x, new int[]{1, 0}, Score.LOGIT);
        assertEquals(0, grad.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(8), NDArrayIndex.all()).amaxNumber().doubleValue());
        assertEquals(0, grad.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(8)).amaxNumber().doubleValue());
        List<String> ops = c.gradientGraphOps(Score.LOGIT, false, 2);
        assertTrue(ops.stream().noneMatch(op -> op.startsWith("conv2d_bp")), ops.toString());
    }

    @Test
    void aFloatDilatedConvolutionRunsAndEqualsTheDoubleOne() {
        Nd4j.getRandom().setSeed(3);
        LayerGraph graph = new LayerGraph(1, 12, 12, List.of(
                node("dilated", new Conv(randn(0.5, 4, 1, 3, 3), randn(0.1, 4), 1, 1, 2, 2, 2, 2), LayerGraph.INPUT),
                node("relu", Activation.relu(), "dilated"),
                node("gap", new GlobalAveragePool(), "relu"),
                node("flat", new Flatten(), "gap"),
                node("fc", new Dense(randn(1, 2, 4), null), "flat")));
        GraphClassifier single = new GraphClassifier(graph, null, List.of("a", "b"), DataType.FLOAT);
        GraphClassifier exact = new GraphClassifier(graph, null, List.of("a", "b"), DataType.DOUBLE);
        INDArray x = GraphClassifierTest.images(2, 2, 1, 12, DataType.DOUBLE);
        INDArray expected = exact.scoreGradient(x, new int[]{0, 1}, Score.LOGIT);
        INDArray actual = single.scoreGradient(x.castTo(DataType.FLOAT), new int[]{0, 1}, Score.LOGIT).castTo(DataType.DOUBLE);
        assertEquals(0, actual.sub(expected).amaxNumber().doubleValue(), 1e-5 * expected.amaxNumber().doubleValue());
    }

    /** The logit gradient of two images against central differences at 24 pixels spread over a size x size image. */
    private static void assertLogitGradientMatchesFiniteDifferences(GraphClassifier c, INDArray x, int[] classes, int size) {
        INDArray grad = c.scoreGradient(x, classes, Score.LOGIT);
        double h = 1e-6;
        for (int probe = 0; probe < 24; probe++) {
            int n = probe % 2;
            int[] at = {n, probe % 3, (probe * 5) % size, (probe * 7 + 2) % size};
            INDArray plus = x.dup();
            plus.putScalar(at, x.getDouble(at) + h);
            INDArray minus = x.dup();
            minus.putScalar(at, x.getDouble(at) - h);
            double numeric = (GraphClassifierTest.score(c, plus, n, classes[n], Score.LOGIT)
                    - GraphClassifierTest.score(c, minus, n, classes[n], Score.LOGIT)) / (2 * h);
            assertEquals(numeric, grad.getDouble(at), 1e-7, "at " + java.util.Arrays.toString(at));
        }
        assertTrue(grad.norm2Number().doubleValue() > 0);
    }

    private static LayerGraph.Node node(String name, LayerOp op, String input) {
        return new LayerGraph.Node(name, op, input);
    }

    private static INDArray randn(double scale, long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape).muli(scale);
    }

    private static GraphClassifier classifier(long seed) {
        return new GraphClassifier(everyOp(seed), GraphClassifierTest.NORM, List.of("a", "b", "c"), DataType.DOUBLE);
    }

    @Test
    void shapesAndCamLayersFollowTheWiring() {
        LayerGraph graph = everyOp(1);
        assertArrayEquals(new long[]{4, 4, 4}, graph.shapes().get("sum"));
        assertArrayEquals(new long[]{3, 4, 4}, graph.shapes().get("dilated"));
        assertArrayEquals(new long[]{7, 4, 4}, graph.shapes().get("cat"));
        assertArrayEquals(new long[]{7}, graph.shapes().get("flat"));
        assertEquals(3, graph.numClasses());
        assertEquals(List.of("c1", "bn1", "r1", "down", "avg", "sum", "leaky", "dilated", "elu", "max", "cat", "sigmoid"),
                classifier(1).layerNames(), "layers with images larger than 1x1, the CAM candidates");
        assertEquals(List.of("c1", "down", "dilated", "fc1", "fc2"), classifier(1).parameterLayers());
    }

    @Test
    void inputGradientsMatchFiniteDifferencesThroughEveryOp() {
        GraphClassifier c = classifier(3);
        INDArray x = GraphClassifierTest.images(4, 2, 3, 8, DataType.DOUBLE);
        int[] classes = {2, 0};
        for (Score score : Score.values()) {
            INDArray grad = c.scoreGradient(x, classes, score);
            INDArray single = c.scoreGradient(x.get(NDArrayIndex.interval(1, 2)).dup(), new int[]{classes[1]}, score);
            assertEquals(0, grad.get(NDArrayIndex.interval(1, 2)).sub(single).amaxNumber().doubleValue(), 1e-12,
                    "single-row graph, " + score);
            double h = 1e-6;
            for (int probe = 0; probe < 16; probe++) {
                int n = probe % 2;
                int[] at = {n, probe % 3, (probe * 5) % 8, (probe * 3 + 1) % 8};
                INDArray plus = x.dup();
                plus.putScalar(at, x.getDouble(at) + h);
                INDArray minus = x.dup();
                minus.putScalar(at, x.getDouble(at) - h);
                double numeric = (GraphClassifierTest.score(c, plus, n, classes[n], score) - GraphClassifierTest.score(c, minus, n, classes[n], score)) / (2 * h);
                assertEquals(numeric, grad.getDouble(at), 1e-7, score + " at " + java.util.Arrays.toString(at));
            }
            assertTrue(grad.norm2Number().doubleValue() > 0);
        }
    }

    /**
     * The hand-written backward against SameDiff's own autodiff of the same forward ops, in the same
     * graph. The two pools become convolutions of the same output shape here: SameDiff 1.0.0-M2.1
     * cannot differentiate NHWC pooling ("No op known ... maxpool2d_bp", "... avgpool2d_bp"); finite
     * differences cover the pools above.
     */
    @Test
    void inputGradientsEqualSameDiffAutodiffOfTheForwardPass() {
        Nd4j.getRandom().setSeed(21);
        Conv insteadOfAverage = new Conv(randn(0.3, 4, 4, 3, 3), null, 2, 2, 1, 1, 1, 1);
        Conv insteadOfMax = Conv.simple(randn(0.3, 4, 4, 3, 3), randn(0.1, 4), 1);
        LayerGraph graph = new LayerGraph(3, 8, 8, everyOp(9).nodes().stream().map(n -> switch (n.name()) {
            case "avg" -> new LayerGraph.Node("avg", insteadOfAverage, n.inputs());
            case "max" -> new LayerGraph.Node("max", insteadOfMax, n.inputs());
            default -> n;
        }).toList());
        GraphClassifier c = new GraphClassifier(graph, GraphClassifierTest.NORM, List.of("a", "b", "c"), DataType.DOUBLE);
        INDArray x = GraphClassifierTest.images(10, 2, 3, 8, DataType.DOUBLE);
        int[] classes = {1, 2};
        GradientGraph.Built built = GradientGraph.build(graph, GraphClassifierTest.NORM, new WeightLayouts(DataType.DOUBLE), DataType.DOUBLE,
                GradientGraph.Kind.of(Score.LOGIT, false, 2), List.of());
        SameDiff sd = built.sd();
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        oneHot.putScalar(0, 1, 1.0);
        oneHot.putScalar(1, 2, 1.0);
        // autodiff differentiates with respect to variables: the input placeholder becomes one, holding x
        SDVariable input = sd.getVariable(GradientGraph.INPUT);
        input.setArray(x);
        input.convertToVariable();
        SDVariable chosenLogits = sd.getVariable(built.logits()).mul(sd.getVariable(GradientGraph.ONE_HOT)).sum();
        sd.setLossVariables(chosenLogits.name());
        INDArray autodiff = sd.calculateGradients(java.util.Map.of(GradientGraph.ONE_HOT, oneHot), GradientGraph.INPUT)
                .get(GradientGraph.INPUT);
        INDArray handWritten = c.scoreGradient(x, classes, Score.LOGIT);
        assertTrue(autodiff.norm2Number().doubleValue() > 0);
        assertEquals(0, autodiff.sub(handWritten).amaxNumber().doubleValue(), 1e-8 * handWritten.amaxNumber().doubleValue());
    }

    @Test
    void rescaleContributionsSumToTheLogitDifference() {
        GraphClassifier c = classifier(5);
        INDArray x = GraphClassifierTest.images(6, 3, 3, 8, DataType.DOUBLE);
        INDArray baseline = GraphClassifierTest.images(7, 3, 3, 8, DataType.DOUBLE).muli(0.3);
        int[] classes = {0, 1, 2};
        assertTrue(c.rescaleRuleRefusal().isEmpty(), "no softmax, nothing to refuse");
        INDArray contributions = c.rescaleMultipliers(x, baseline, classes).mul(x.sub(baseline));
        INDArray gap = c.logits(x).sub(c.logits(baseline));
        for (int n = 0; n < 3; n++) {
            double total = contributions.get(NDArrayIndex.point(n)).sumNumber().doubleValue();
            assertEquals(gap.getDouble(n, classes[n]), total, 1e-6, "image " + n);
        }
        INDArray gradient = c.scoreGradient(x, classes, Score.LOGIT);
        assertNotEquals(0, c.rescaleMultipliers(x, baseline, classes).sub(gradient).amaxNumber().doubleValue(), 1e-3,
                "multipliers are not the gradient in a nonlinear network");
    }

    /** PyTorch pads max-pools with -inf and, by default, averages only over the real pixels of a window. */
    @Test
    void poolingIgnoresPaddingAsPyTorchDoes() {
        INDArray x = Nd4j.createFromArray(-3.0, -2.0, -1.0, -4.0, -0.5, -6.0, -7.0, -8.0, -9.0).reshape(1, 1, 3, 3);
        INDArray identity = Nd4j.eye(9).castTo(DataType.DOUBLE);
        for (boolean countPadding : new boolean[]{false, true}) {
            LayerGraph max = pooled(new Pool(Pool.Mode.MAX, 3, 3, 1, 1, 1, 1, false), identity);
            LayerGraph avg = pooled(new Pool(Pool.Mode.AVERAGE, 3, 3, 1, 1, 1, 1, countPadding), identity);
            INDArray maxOut = new GraphClassifier(max, null, names(9), DataType.DOUBLE).logits(x);
            INDArray avgOut = new GraphClassifier(avg, null, names(9), DataType.DOUBLE).logits(x);
            assertEquals(-0.5, maxOut.getDouble(0, 0), 1e-12, "top-left window: the max of its real pixels, not a padded zero");
            double cornerSum = -3.0 - 2.0 - 4.0 - 0.5;
            assertEquals(countPadding ? cornerSum / 9 : cornerSum / 4, avgOut.getDouble(0, 0), 1e-12, "count padding " + countPadding);
        }
    }

    private static LayerGraph pooled(Pool pool, INDArray identity) {
        return new LayerGraph(1, 3, 3, List.of(node("pool", pool, LayerGraph.INPUT), node("flat", new Flatten(), "pool"),
                node("out", new Dense(identity, null), "flat")));
    }

    private static List<String> names(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "c" + i).toList();
    }

    @Test
    void badWiringIsRefusedNamingTheLayer() {
        INDArray w = randn(1, 2, 3, 3, 3);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new LayerGraph(3, 8, 8, List.of(
                node("conv", Conv.simple(w, null, 1), "nowhere"))));
        assertTrue(unknown.getMessage().contains("conv") && unknown.getMessage().contains("nowhere"), unknown.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class, () -> new LayerGraph(1, 8, 8, List.of(
                node("conv", Conv.simple(w, null, 1), LayerGraph.INPUT))));
        assertTrue(channels.getMessage().startsWith("conv:"), channels.getMessage());
        IllegalArgumentException notLogits = assertThrows(IllegalArgumentException.class, () -> new LayerGraph(3, 8, 8, List.of(
                node("conv", Conv.simple(w, null, 1), LayerGraph.INPUT))));
        assertTrue(notLogits.getMessage().contains("logits"), notLogits.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> new LayerGraph(3, 8, 8, List.of(
                node("a", Conv.simple(w, null, 1), LayerGraph.INPUT),
                node("b", Pool.max(2), "a"),
                new LayerGraph.Node("sum", new Add(), List.of("a", "b")))));
        assertTrue(mismatch.getMessage().startsWith("sum:"), mismatch.getMessage());
    }

    @Test
    void reinitializingALayerChangesOnlyThatLayer() {
        GraphClassifier c = classifier(8);
        GraphClassifier top = c.reinitialized(List.of("fc2"), 3);
        Dense before = (Dense) c.layerGraph().node("fc2").op();
        Dense after = (Dense) top.layerGraph().node("fc2").op();
        double bound = 1 / Math.sqrt(5);
        assertTrue(after.weight().amaxNumber().doubleValue() <= bound);
        assertNotEquals(0, after.weight().sub(before.weight()).amaxNumber().doubleValue(), 1e-6);
        assertEquals(c.layerGraph().node("c1").op(), top.layerGraph().node("c1").op());
        assertThrows(IllegalArgumentException.class, () -> c.reinitialized(List.of("r1"), 3));
    }

    @Test
    void everyStageOfACascadeComputesWhatAFreshlyDrawnModelDoes() {
        List<LrpComposite> composites = List.of(
                new LrpComposite(LrpComposite.Rule.Z_BOX, LrpComposite.Rule.GAMMA, LrpComposite.Rule.EPSILON, 0.25, 0.25),
                new LrpComposite(LrpComposite.Rule.FLAT, LrpComposite.Rule.ALPHA2_BETA1, LrpComposite.Rule.Z_PLUS, 0.25, 0.25));
        for (LayerGraph graph : List.of(everyOp(5), mobileOps(6), transformerOps(7))) {
            GraphClassifier model = new GraphClassifier(graph, GraphClassifierTest.NORM, names(graph.numClasses()), DataType.DOUBLE);
            INDArray x = GraphClassifierTest.images(8, 3, graph.channels(), graph.height(), DataType.DOUBLE);
            List<String> topDown = new ArrayList<>(model.parameterLayers());
            java.util.Collections.reverse(topDown);
            java.util.Iterator<org.xaiworkbench.model.Classifier> cascade = model.cascade(topDown, 11);
            for (int stage = 1; stage <= topDown.size(); stage++) {
                // each stage is used before the next is drawn, so that the next takes over graphs of every kind
                GraphClassifier drawn = (GraphClassifier) cascade.next();
                GraphClassifier fresh = model.reinitialized(topDown.subList(0, stage), 11);
                String where = graph.nodes().get(0).name() + " graph, stage " + stage;
                for (Score score : Score.values()) {
                    assertSame(fresh.scoreGradient(x, new int[]{0, 1, 2}, score), drawn.scoreGradient(x, new int[]{0, 1, 2}, score), where);
                }
                INDArray one = x.get(NDArrayIndex.interval(0, 1)).dup();
                assertSame(fresh.scoreGradient(one, new int[]{1}, Score.LOGIT), drawn.scoreGradient(one, new int[]{1}, Score.LOGIT), where);
                assertSame(fresh.reluRuleGradient(x, new int[]{2, 1, 0}, Score.LOGIT, ReluRule.GUIDED),
                        drawn.reluRuleGradient(x, new int[]{2, 1, 0}, Score.LOGIT, ReluRule.GUIDED), where);
                if (fresh.rescaleRuleRefusal().isEmpty()) {
                    INDArray baseline = Nd4j.zerosLike(x);
                    assertSame(fresh.rescaleMultipliers(x, baseline, new int[]{0, 0, 1}),
                            drawn.rescaleMultipliers(x, baseline, new int[]{0, 0, 1}), where);
                }
                for (LrpComposite composite : composites) {
                    if (fresh.relevanceRefusal(composite).isEmpty()) {
                        assertSame(fresh.relevance(x, new int[]{1, 2, 0}, composite), drawn.relevance(x, new int[]{1, 2, 0}, composite), where);
                    }
                }
            }
        }
    }

    private static void assertSame(INDArray expected, INDArray actual, String where) {
        assertArrayEquals(expected.shape(), actual.shape(), where);
        assertTrue(expected.amaxNumber().doubleValue() > 0, where + ": a map with nothing in it compares nothing");
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-12 * expected.amaxNumber().doubleValue(), where);
    }
}
