package org.xaiworkbench.explain;

import org.xaiworkbench.explain.cam.AbstractCam;
import org.xaiworkbench.explain.cam.AblationCam;
import org.xaiworkbench.explain.cam.GradCam;
import org.xaiworkbench.explain.cam.EigenCam;
import org.xaiworkbench.explain.cam.EigenGradCam;
import org.xaiworkbench.explain.cam.FullGrad;
import org.xaiworkbench.explain.cam.GradCamElementWise;
import org.xaiworkbench.explain.cam.GradCamPlusPlus;
import org.xaiworkbench.explain.cam.GuidedGradCam;
import org.xaiworkbench.explain.cam.HiResCam;
import org.xaiworkbench.explain.cam.LayerCam;
import org.xaiworkbench.explain.cam.ScoreCam;
import org.xaiworkbench.explain.cam.XGradCam;
import org.xaiworkbench.explain.gradient.DeepLift;
import org.xaiworkbench.explain.gradient.Deconvolution;
import org.xaiworkbench.explain.gradient.DeepShap;
import org.xaiworkbench.explain.gradient.GradientShap;
import org.xaiworkbench.explain.gradient.GuidedBackprop;
import org.xaiworkbench.explain.gradient.InputXGradient;
import org.xaiworkbench.explain.gradient.IntegratedGradients;
import org.xaiworkbench.explain.gradient.ModifiedReluGradient;
import org.xaiworkbench.explain.gradient.NoiseTunnel;
import org.xaiworkbench.explain.gradient.Saliency;
import org.xaiworkbench.explain.perturbation.FeatureAblation;
import org.xaiworkbench.explain.perturbation.KernelShap;
import org.xaiworkbench.explain.perturbation.Lime;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.explain.perturbation.Rise;
import org.xaiworkbench.explain.perturbation.ShapleyValueSampling;
import org.xaiworkbench.explain.region.Xrai;
import org.xaiworkbench.explain.relevance.Lrp;
import org.xaiworkbench.model.Classifier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every attribution method by id, with its default options. Adding a method is one class plus one
 * line here; the CLI, the README's table and the conformance test all read this list.
 */
public final class AttributionRegistry {
    /** How to build one method: its default options for a context, and the method from options. */
    private record Entry<O extends Record & MethodOptions>(Function<MethodContext, O> defaults,
                                                           BiFunction<MethodContext, O, Attribution> build) {
        Attribution create(String id, MethodContext context) {
            O options = context.settings().apply(id, defaults.apply(context));
            try {
                Attribution method = build.apply(context, options);
                MemoryBudget.check(id, options, context.classifier());
                return method;
            } catch (IllegalArgumentException e) {
                // checks that need the model (a CAM's layer) run when the method is built
                String flags = context.settings().flags(id);
                throw flags.isEmpty() ? e : new IllegalArgumentException(flags + ": " + e.getMessage(), e);
            }
        }
    }

    private static final Map<String, Entry<?>> METHODS = new LinkedHashMap<>();

    /**
     * What evaluate scores unless told otherwise: the common method of each family (gradients, integrated
     * gradients, noise tunnel, DeepLIFT, guided backpropagation, an LRP composite, two CAMs, occlusion).
     * The subsample checks explain every scored method again about twenty times per image, so a method
     * that runs hundreds of passes per image (LIME, KernelSHAP, Shapley sampling, RISE, Score-CAM, XRAI,
     * DeepSHAP's 32 baselines) turns a first run of minutes into one of hours; "--methods all" adds them.
     */
    private static final List<String> EVALUATED_BY_DEFAULT = List.of(Saliency.ID, IntegratedGradients.ID, "smoothgrad",
            DeepLift.ID, GuidedBackprop.ID, "lrp-epsilon-plus-flat", GradCam.ID, GradCamPlusPlus.ID, Occlusion.ID);

    static {
        // one line per method, in the order figures show them
        put(Saliency.ID, ctx -> Saliency.Options.defaults(), (ctx, o) -> new Saliency(ctx.classifier(), o));
        put(InputXGradient.ID, ctx -> InputXGradient.Options.defaults(), (ctx, o) -> new InputXGradient(ctx.classifier(), o));
        put(IntegratedGradients.ID, ctx -> IntegratedGradients.Options.defaults(), (ctx, o) -> new IntegratedGradients(ctx.classifier(), o));
        noiseTunnel("smoothgrad", NoiseTunnel.Variant.SMOOTHGRAD);
        noiseTunnel("smoothgrad-squared", NoiseTunnel.Variant.SMOOTHGRAD_SQUARED);
        noiseTunnel("vargrad", NoiseTunnel.Variant.VARGRAD);
        put(GradientShap.ID, ctx -> GradientShap.Options.defaults().withBackground(ctx.background()), (ctx, o) -> new GradientShap(ctx.classifier(), o));
        put(DeepLift.ID, ctx -> DeepLift.Options.defaults(), (ctx, o) -> new DeepLift(ctx.classifier(), o));
        put(DeepShap.ID, ctx -> DeepShap.Options.defaults().withBackground(ctx.background()), (ctx, o) -> new DeepShap(ctx.classifier(), o));
        put(GuidedBackprop.ID, ctx -> ModifiedReluGradient.Options.defaults(), (ctx, o) -> new GuidedBackprop(ctx.classifier(), o));
        put(Deconvolution.ID, ctx -> ModifiedReluGradient.Options.defaults(), (ctx, o) -> new Deconvolution(ctx.classifier(), o));
        lrp("lrp-epsilon", Lrp.Options.epsilonEverywhere());
        lrp("lrp-epsilon-plus-flat", Lrp.Options.epsilonPlusFlat());
        lrp("lrp-epsilon-gamma-box", Lrp.Options.epsilonGammaBox());
        lrp("lrp-epsilon-alpha2-beta1", Lrp.Options.epsilonAlpha2Beta1());
        put(GradCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new GradCam(ctx.classifier(), o));
        put(GradCamPlusPlus.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new GradCamPlusPlus(ctx.classifier(), o));
        put(GuidedGradCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new GuidedGradCam(ctx.classifier(), o));
        put(HiResCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new HiResCam(ctx.classifier(), o));
        put(GradCamElementWise.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new GradCamElementWise(ctx.classifier(), o));
        put(XGradCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new XGradCam(ctx.classifier(), o));
        put(LayerCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new LayerCam(ctx.classifier(), o));
        put(EigenCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new EigenCam(ctx.classifier(), o));
        put(EigenGradCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new EigenGradCam(ctx.classifier(), o));
        put(ScoreCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new ScoreCam(ctx.classifier(), o));
        put(AblationCam.ID, ctx -> AbstractCam.Options.defaults(ctx.classifier()), (ctx, o) -> new AblationCam(ctx.classifier(), o));
        put(FullGrad.ID, ctx -> FullGrad.Options.defaults(), (ctx, o) -> new FullGrad(ctx.classifier(), o));
        put(Occlusion.ID, ctx -> Occlusion.Options.defaults(ctx.classifier()), (ctx, o) -> new Occlusion(ctx.classifier(), o));
        put(Lime.ID, ctx -> Lime.Options.defaults(), (ctx, o) -> new Lime(ctx.classifier(), o));
        put(KernelShap.ID, ctx -> KernelShap.Options.defaults(), (ctx, o) -> new KernelShap(ctx.classifier(), o));
        put(FeatureAblation.ID, ctx -> FeatureAblation.Options.defaults(), (ctx, o) -> new FeatureAblation(ctx.classifier(), o));
        put(ShapleyValueSampling.ID, ctx -> ShapleyValueSampling.Options.defaults(), (ctx, o) -> new ShapleyValueSampling(ctx.classifier(), o));
        put(Rise.ID, ctx -> Rise.Options.defaults(), (ctx, o) -> new Rise(ctx.classifier(), o));
        put(Xrai.ID, ctx -> Xrai.Options.defaults(), (ctx, o) -> new Xrai(ctx.classifier(), o));
    }

    private AttributionRegistry() {
    }

    private static <O extends Record & MethodOptions> void put(String id, Function<MethodContext, O> defaults,
                                                               BiFunction<MethodContext, O, Attribution> build) {
        METHODS.put(id, new Entry<>(defaults, build));
    }

    private static void noiseTunnel(String id, NoiseTunnel.Variant variant) {
        put(id, ctx -> NoiseTunnel.Options.defaults(variant), (ctx, o) -> {
            if (o.variant() != variant) {
                throw new IllegalArgumentException(id + " is the " + variant + " variant; choose the method "
                        + "smoothgrad, smoothgrad-squared or vargrad instead of setting variant");
            }
            return new NoiseTunnel(id, new Saliency(ctx.classifier(), new Saliency.Options(true, o.score())), o);
        });
    }

    /** One of Zennit's composites, under its own id; its rules can still be changed with --set. */
    private static void lrp(String id, Lrp.Options composite) {
        put(id, ctx -> composite, (ctx, o) -> new Lrp(id, ctx.classifier(), o));
    }

    /** {@code --set} assignments for the registered methods. */
    public static MethodSettings settings(List<String> assignments, org.xaiworkbench.model.Score score) {
        return MethodSettings.parse(assignments, score, ids());
    }

    public static List<String> ids() {
        return List.copyOf(METHODS.keySet());
    }

    /** The methods evaluate scores when none are named, in registry order. */
    public static List<String> evaluatedByDefault() {
        return ids().stream().filter(EVALUATED_BY_DEFAULT::contains).toList();
    }

    public static Attribution create(String id, Classifier classifier) {
        return create(id, MethodContext.of(classifier));
    }

    /** The method with the context's options; a bad option gets one line naming the method and the option. */
    public static Attribution create(String id, MethodContext context) {
        Entry<?> entry = METHODS.get(id);
        if (entry == null) {
            throw new IllegalArgumentException("unknown method '" + id + "', expected one of " + ids());
        }
        return entry.create(id, context);
    }

    /**
     * Builds every method of {@code ids} for the context, in order. A method that refuses the model
     * ({@link MethodRefusal}) is left out and its reason passed to {@code skipped}, unless the user
     * named it (in the list, when {@code idsChosenByUser}, or in one of the context's option settings):
     * then, like any bad option, the refusal is thrown.
     */
    public static Map<String, Attribution> createApplicable(List<String> ids, MethodContext context, boolean idsChosenByUser,
                                                            Consumer<String> skipped) {
        Set<String> named = idsChosenByUser ? Set.copyOf(ids) : context.settings().methods();
        Map<String, Attribution> built = new LinkedHashMap<>();
        for (String id : ids) {
            try {
                built.put(id, create(id, context));
            } catch (MethodRefusal refusal) {
                if (named.contains(id)) {
                    throw refusal;
                }
                skipped.accept(id + " skipped: " + refusal.getMessage());
            }
        }
        if (built.isEmpty()) {
            throw new IllegalArgumentException("none of the methods " + ids + " can explain this model");
        }
        return built;
    }
}
