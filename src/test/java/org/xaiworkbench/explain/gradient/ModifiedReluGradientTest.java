package org.xaiworkbench.explain.gradient;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.MethodRefusal;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;
import org.xaiworkbench.model.graph.Activation;
import org.xaiworkbench.model.graph.Dense;
import org.xaiworkbench.model.graph.Flatten;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.graph.Identity;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.Pool;

import java.lang.reflect.Proxy;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guided backpropagation and deconvolution against their closed forms on a one-hidden-layer ReLU network. */
class ModifiedReluGradientTest {
    private static final double[][] W1 = {{1, -2, 0.5, 1}, {-1, 1, 1, -0.5}, {0.5, 0.5, -1, 2}};
    private static final double[] B1 = {0.1, -3, 0.2};
    private static final double[][] W2 = {{2, -1, -3}, {-1, 4, 1}};
    private static final double[] X = {0.9, 0.2, 0.4, 0.7};

    /** logits = W2 relu(W1 x + b1) on a 1x2x2 picture. */
    private static GraphClassifier hiddenLayer() {
        List<LayerGraph.Node> nodes = List.of(
                new LayerGraph.Node("flat", new Flatten(), List.of(LayerGraph.INPUT)),
                new LayerGraph.Node("fc1", new Dense(Nd4j.create(W1), Nd4j.createFromArray(B1)), List.of("flat")),
                new LayerGraph.Node("relu", Activation.relu(), List.of("fc1")),
                new LayerGraph.Node("fc2", new Dense(Nd4j.create(W2), null), List.of("relu")));
        return new GraphClassifier(new LayerGraph(1, 2, 2, nodes), null, List.of("a", "b"), DataType.DOUBLE);
    }

    /** W1^T (rule(W2[class]) at each hidden unit), by hand. */
    private static double[] expected(int target, boolean positiveOnly, boolean masked) {
        double[] out = new double[4];
        for (int h = 0; h < 3; h++) {
            double z = B1[h];
            for (int i = 0; i < 4; i++) {
                z += W1[h][i] * X[i];
            }
            double g = positiveOnly ? Math.max(W2[target][h], 0) : W2[target][h];
            if (masked && z <= 0) {
                g = 0;
            }
            for (int i = 0; i < 4; i++) {
                out[i] += W1[h][i] * g;
            }
        }
        return out;
    }

    private static double[] attribute(ModifiedReluGradient method, int target) {
        INDArray x = Nd4j.createFromArray(X).reshape(1, 1, 2, 2);
        return method.attribute(x, Target.fixed(target)).attributions().reshape(4).toDoubleVector();
    }

    @Test
    void guidedBackpropPassesPositiveGradientsThroughActiveUnits() {
        GraphClassifier net = hiddenLayer();
        for (int target = 0; target < 2; target++) {
            assertArrayEquals(expected(target, true, true), attribute(new GuidedBackprop(net, ModifiedReluGradient.Options.defaults()), target), 1e-12);
        }
        // the second hidden unit is inactive (z = -3.2 - ...), so class 1's large positive weight on it must not pass
        assertTrue(expected(1, true, true)[1] != expected(1, true, false)[1]);
    }

    @Test
    void deconvolutionPassesPositiveGradientsWhateverTheUnitsInput() {
        GraphClassifier net = hiddenLayer();
        for (int target = 0; target < 2; target++) {
            assertArrayEquals(expected(target, true, false), attribute(new Deconvolution(net, ModifiedReluGradient.Options.defaults()), target), 1e-12);
        }
    }

    @Test
    void theGradientGraphOfTheSameModelIsUntouched() {
        GraphClassifier net = hiddenLayer();
        attribute(new GuidedBackprop(net, ModifiedReluGradient.Options.defaults()), 0);
        INDArray gradient = net.scoreGradient(Nd4j.createFromArray(X).reshape(1, 1, 2, 2), new int[]{0}, Score.LOGIT);
        assertArrayEquals(expected(0, false, true), gradient.reshape(4).toDoubleVector(), 1e-12);
    }

    @Test
    void maxPoolsAfterReluGetTheRuleNotTheGradientGraphsShortcut() {
        // the gradient graph computes a max-pool that alone reads a ReLU before it and hands the ReLU's mask to the
        // pool's backward; an identity between the two turns that shortcut off without changing the function
        GraphClassifier vgg = TinyClassifiers.miniVgg(3, DataType.DOUBLE, 16);
        GraphClassifier unfused = new GraphClassifier(identityBeforeEachPool(vgg.layerGraph()), vgg.normalization(), vgg.classNames(),
                DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 16, 16);
        Target classes = Target.perImage(1, 4);
        for (boolean guided : new boolean[]{true, false}) {
            INDArray fused = (guided ? new GuidedBackprop(vgg, ModifiedReluGradient.Options.defaults())
                    : new Deconvolution(vgg, ModifiedReluGradient.Options.defaults())).attribute(x, classes).attributions();
            INDArray plain = (guided ? new GuidedBackprop(unfused, ModifiedReluGradient.Options.defaults())
                    : new Deconvolution(unfused, ModifiedReluGradient.Options.defaults())).attribute(x, classes).attributions();
            assertTrue(fused.equalsWithEps(plain, 1e-12), guided ? "guided backprop" : "deconvolution");
            assertTrue(fused.distance2(vgg.scoreGradient(x, new int[]{1, 4}, Score.LOGIT)) > 1e-6 * fused.norm2Number().doubleValue());
        }
    }

    private static LayerGraph identityBeforeEachPool(LayerGraph graph) {
        List<LayerGraph.Node> nodes = new java.util.ArrayList<>();
        for (LayerGraph.Node node : graph.nodes()) {
            if (node.op() instanceof Pool) {
                String copy = node.inputs().get(0) + ".copy";
                nodes.add(new LayerGraph.Node(copy, new Identity(), node.inputs().get(0)));
                nodes.add(new LayerGraph.Node(node.name(), node.op(), copy));
            } else {
                nodes.add(node);
            }
        }
        long[] input = graph.shapes().get(LayerGraph.INPUT);
        return new LayerGraph((int) input[0], (int) input[1], (int) input[2], nodes);
    }

    @Test
    void aModelOutsideTheLayerGraphIsRefusedInOneLine() {
        Classifier opaque = (Classifier) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Classifier.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException();
                });
        MethodRefusal refusal = assertThrows(MethodRefusal.class, () -> new GuidedBackprop(opaque, ModifiedReluGradient.Options.defaults()));
        assertTrue(refusal.getMessage().contains("guided-backprop") && !refusal.getMessage().contains("\n"), refusal.getMessage());
    }
}
