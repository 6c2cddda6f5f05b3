package org.xaiworkbench.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a training step's time goes: each layer's forward pass (training mode, so dropout is on)
 * and backward pass (input and weight gradients) timed on its own, through the same layer objects and
 * oneDNN helpers that {@code fit} uses, beside the time of whole {@code fit} steps. What the layers do
 * not account for is the rest of a step: the updater (Adam over every parameter), the regularizer,
 * the score, workspaces and DL4J's bookkeeping.
 */
public final class LayerProfile {
    public record LayerTime(String name, String type, double forwardMs, double backwardMs) {
    }

    /** Milliseconds per step: per layer, and of whole fit() steps on the same batch. */
    public record Result(List<LayerTime> layers, double fitStepMs) {
        public double layersMs() {
            return layers.stream().mapToDouble(l -> l.forwardMs() + l.backwardMs()).sum();
        }

        /** The part of a fit() step outside the layers' own forward and backward passes. */
        public double outsideLayersMs() {
            return fitStepMs - layersMs();
        }
    }

    private LayerProfile() {
    }

    /**
     * Profiles {@code net} on one batch. The layer-by-layer passes do not change the parameters;
     * the fit() steps timed afterwards do, as training would.
     */
    public static Result profile(MultiLayerNetwork net, DataSet batch, int warmup, int iterations) {
        if (warmup < 0 || iterations <= 0) {
            throw new IllegalArgumentException("warmup must be >= 0 and iterations > 0, got " + warmup + ", " + iterations);
        }
        Layer[] layers = net.getLayers();
        if (!(layers[layers.length - 1] instanceof IOutputLayer)) {
            throw new IllegalArgumentException("the network must end with an output layer");
        }
        long[] forward = new long[layers.length];
        long[] backward = new long[layers.length];
        for (int rep = 0; rep < warmup + iterations; rep++) {
            boolean timed = rep >= warmup;
            layerByLayer(net, batch, timed ? forward : new long[layers.length], timed ? backward : new long[layers.length]);
        }
        List<LayerTime> times = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            String name = layers[i].conf().getLayer().getLayerName();
            times.add(new LayerTime(name == null ? "layer " + i : name, layers[i].getClass().getSimpleName(),
                    forward[i] / 1e6 / iterations, backward[i] / 1e6 / iterations));
        }
        for (int i = 0; i < warmup; i++) {
            net.fit(batch);
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            net.fit(batch);
        }
        return new Result(times, (System.nanoTime() - start) / 1e6 / iterations);
    }

    private static void layerByLayer(MultiLayerNetwork net, DataSet batch, long[] forward, long[] backward) {
        Layer[] layers = net.getLayers();
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        int rows = (int) batch.getFeatures().size(0);
        INDArray h = batch.getFeatures();
        for (int i = 0; i < layers.length; i++) {
            long t = System.nanoTime();
            InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                h = pre.preProcess(h, rows, workspaces);
            }
            h = layers[i].activate(h, true, workspaces);
            forward[i] += System.nanoTime() - t;
        }
        ((IOutputLayer) layers[layers.length - 1]).setLabels(batch.getLabels());
        INDArray epsilon = null;
        for (int i = layers.length - 1; i >= 0; i--) {
            long t = System.nanoTime();
            Pair<Gradient, INDArray> step = layers[i].backpropGradient(epsilon, workspaces);
            epsilon = step.getSecond();
            InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null && epsilon != null) {
                epsilon = pre.backprop(epsilon, rows, workspaces);
            }
            backward[i] += System.nanoTime() - t;
        }
        for (Layer layer : layers) {
            layer.clear();
        }
    }
}
