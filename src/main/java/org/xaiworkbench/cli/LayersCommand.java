package org.xaiworkbench.cli;


import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.graph.LayerGraph;
import org.xaiworkbench.model.graph.LayerOp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** The model's layers by their own names, with output shapes: what --layers and a CAM's layer option take. */
@Command(name = "layers", mixinStandardHelpOptions = true,
        description = "List the model's layers with what they compute, their inputs and output shapes; CAM layers are marked.")
public final class LayersCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption = new ModelOption();

    /** One layer; camLayer says whether CAM methods and per-layer figures can look at it. */
    public record Layer(String name, String op, List<String> inputs, long[] shape, boolean camLayer) {
    }

    /** The layers in forward order, the model's input shape and the layer CAM methods take by default. */
    public record Listing(long[] input, List<Layer> layers, String defaultCamLayer) {
    }

    @Override
    public Integer call() throws IOException {
        Listing listing = run();
        int width = listing.layers().stream().mapToInt(layer -> layer.name().length()).max().orElse(5) + 3;
        String row = "%-" + width + "s %-22s %-14s %s%n";
        System.out.printf(Locale.ROOT, "input %s%n%n" + row, shape(listing.input()), "layer", "op", "output", "reads");
        for (Layer layer : listing.layers()) {
            System.out.printf(Locale.ROOT, row, (layer.camLayer() ? "* " : "  ") + layer.name(), layer.op(), shape(layer.shape()),
                    String.join(", ", layer.inputs()));
        }
        System.out.printf(Locale.ROOT, "%n* a layer with an image output or a transformer's token grid (--layers, --set grad-cam.layer=...); default CAM layer: %s%n",
                listing.defaultCamLayer());
        return 0;
    }

    public Listing run() throws IOException {
        GraphClassifier model = modelOption.loadGraph(ModelOption.HINT, "layers");
        LayerGraph graph = model.layerGraph();
        var shapes = graph.shapes();
        Set<String> camLayers = Set.copyOf(model.layerNames());
        List<Layer> layers = new ArrayList<>();
        for (LayerGraph.Node node : graph.nodes()) {
            layers.add(new Layer(node.name(), node.op().describe(), node.inputs(), shapes.get(node.name()),
                    camLayers.contains(node.name())));
        }
        return new Listing(shapes.get(LayerGraph.INPUT), List.copyOf(layers), model.defaultCamLayer());
    }

    private static String shape(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
