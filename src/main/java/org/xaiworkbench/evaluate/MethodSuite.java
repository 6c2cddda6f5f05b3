package org.xaiworkbench.evaluate;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.Attribution;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The methods under evaluation, registered ones and control maps, each buildable on any classifier
 * (the sanity checks rebuild them on randomized copies of the model).
 */
public final class MethodSuite {
    private final Map<String, Function<Classifier, Attribution>> factories = new LinkedHashMap<>();
    private final List<String> controls = new ArrayList<>();
    private final Classifier classifier;
    private final DataType dataType;
    private final Map<String, Attribution> built = new HashMap<>();
    /** Images per attribution call: enough to fill the graph's rows for gradient methods, few enough to bound memory. */
    private static final int IMAGES_PER_CALL = 16;

    /**
     * @param methods  registry ids
     * @param context  the classifier and background every method is built with
     * @param controls whether to add the control maps ({@link Controls})
     * @param dataType the precision images are handed to the methods in
     */
    public MethodSuite(List<String> methods, MethodContext context, boolean controls, DataType dataType) {
        for (String id : methods) {
            built.put(id, AttributionRegistry.create(id, context));
            factories.put(id, model -> AttributionRegistry.create(id, new MethodContext(model, context.background(), context.settings())));
        }
        if (controls) {
            Controls.all().forEach((id, factory) -> {
                factories.put(id, factory);
                this.controls.add(id);
            });
        }
        if (factories.isEmpty()) {
            throw new IllegalArgumentException("no methods to evaluate");
        }
        this.classifier = context.classifier();
        this.dataType = dataType;
    }

    public List<String> ids() {
        return List.copyOf(factories.keySet());
    }

    public boolean isControl(String id) {
        return controls.contains(id);
    }

    /** Whether method {@code id}'s maps carry a meaningful sign. */
    public boolean signed(String id) {
        return built(id).signed();
    }

    public Classifier classifier() {
        return classifier;
    }

    /**
     * The maps of method {@code id} for {@code images} (each [C,H,W] flattened, shaped like {@code like})
     * and one target class each, explained on {@code model}: one array per image, [C*H*W] or [H*W].
     * Up to {@value #IMAGES_PER_CALL} images share a call, every one drawing from the random stream an
     * image explained alone draws from: an image's map does not depend on which images share its call,
     * and a noisy copy of an image (max-sensitivity) gets the same draws as the image itself.
     */
    public double[][] explain(String id, Classifier model, List<double[]> images, Sample like, int[] targets) {
        Attribution method = model == classifier ? built(id) : factories.get(id).apply(model);
        double[][] out = new double[images.size()][];
        for (int start = 0; start < images.size(); start += IMAGES_PER_CALL) {
            int n = Math.min(IMAGES_PER_CALL, images.size() - start);
            INDArray x = Maps.batch(images.subList(start, start + n), like, dataType);
            Target target = Target.perImage(Arrays.copyOfRange(targets, start, start + n));
            double[] values = HostValues.of(method.attribute(x, target, new int[n]).attributions());
            int perImage = values.length / n;
            for (int i = 0; i < n; i++) {
                out[start + i] = Arrays.copyOfRange(values, i * perImage, (i + 1) * perImage);
            }
        }
        return out;
    }

    private Attribution built(String id) {
        Function<Classifier, Attribution> factory = factories.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("unknown method '" + id + "', expected one of " + ids());
        }
        return built.computeIfAbsent(id, k -> factory.apply(classifier));
    }
}
