package org.xaiworkbench.explain;

import org.xaiworkbench.explain.cam.GradCam;
import org.xaiworkbench.explain.cam.GradCamPlusPlus;
import org.xaiworkbench.explain.gradient.DeepLift;
import org.xaiworkbench.explain.gradient.DeepShap;
import org.xaiworkbench.explain.gradient.GradientShap;
import org.xaiworkbench.explain.gradient.InputXGradient;
import org.xaiworkbench.explain.gradient.IntegratedGradients;
import org.xaiworkbench.explain.gradient.NoiseTunnel;
import org.xaiworkbench.explain.gradient.Saliency;
import org.xaiworkbench.explain.perturbation.KernelShap;
import org.xaiworkbench.explain.perturbation.Lime;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.model.Classifier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every attribution method by id, with its default options. Adding a method is one class plus one
 * line here; the CLI, the README's table and the conformance test all read this list.
 */
public final class AttributionRegistry {
    private static final Map<String, Function<MethodContext, Attribution>> METHODS = new LinkedHashMap<>();

    static {
        // one line per method, in the order figures show them
        METHODS.put(Saliency.ID, ctx -> new Saliency(ctx.classifier()));
        METHODS.put(InputXGradient.ID, ctx -> new InputXGradient(ctx.classifier()));
        METHODS.put(IntegratedGradients.ID, ctx -> new IntegratedGradients(ctx.classifier()));
        METHODS.put("smoothgrad", noiseTunnel("smoothgrad", NoiseTunnel.Variant.SMOOTHGRAD));
        METHODS.put("smoothgrad-squared", noiseTunnel("smoothgrad-squared", NoiseTunnel.Variant.SMOOTHGRAD_SQUARED));
        METHODS.put("vargrad", noiseTunnel("vargrad", NoiseTunnel.Variant.VARGRAD));
        METHODS.put(GradientShap.ID, ctx -> new GradientShap(ctx.classifier(), GradientShap.Options.defaults().withBackground(ctx.background())));
        METHODS.put(DeepLift.ID, ctx -> new DeepLift(ctx.classifier()));
        METHODS.put(DeepShap.ID, ctx -> new DeepShap(ctx.classifier(), DeepShap.Options.defaults().withBackground(ctx.background())));
        METHODS.put(GradCam.ID, ctx -> new GradCam(ctx.classifier()));
        METHODS.put(GradCamPlusPlus.ID, ctx -> new GradCamPlusPlus(ctx.classifier()));
        METHODS.put(Occlusion.ID, ctx -> new Occlusion(ctx.classifier()));
        METHODS.put(Lime.ID, ctx -> new Lime(ctx.classifier()));
        METHODS.put(KernelShap.ID, ctx -> new KernelShap(ctx.classifier()));
    }

    private AttributionRegistry() {
    }

    public static List<String> ids() {
        return List.copyOf(METHODS.keySet());
    }

    public static Attribution create(String id, Classifier classifier) {
        return create(id, MethodContext.of(classifier));
    }

    public static Attribution create(String id, MethodContext context) {
        Function<MethodContext, Attribution> factory = METHODS.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("unknown method '" + id + "', expected one of " + ids());
        }
        return factory.apply(context);
    }

    private static Function<MethodContext, Attribution> noiseTunnel(String id, NoiseTunnel.Variant variant) {
        return ctx -> new NoiseTunnel(id, new Saliency(ctx.classifier()), NoiseTunnel.Options.defaults(variant));
    }
}
