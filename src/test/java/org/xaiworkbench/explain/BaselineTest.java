package org.xaiworkbench.explain;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.explain.gradient.IntegratedGradients;
import org.xaiworkbench.explain.gradient.IntegrationRule;
import org.xaiworkbench.explain.perturbation.KernelShap;
import org.xaiworkbench.explain.perturbation.Lime;
import org.xaiworkbench.explain.perturbation.Occlusion;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one baseline type every method fills removed pixels with, and the spellings runs record. */
class BaselineTest {
    @Test
    void meanIsEachRegionsOwnColourPerChannelOrTheWholeImagesWithoutRegions() {
        // 2 channels of a 1x4 image, regions {0, 0, 1, 1}
        double[] image = {1, 3, 10, 20, 0, 2, 4, 8};
        assertArrayEquals(new double[]{2, 2, 15, 15, 1, 1, 6, 6},
                Baseline.mean().of(image, 2, 1, 4, null, new int[]{0, 0, 1, 1}), 1e-15);
        assertArrayEquals(new double[]{8.5, 8.5, 8.5, 8.5, 3.5, 3.5, 3.5, 3.5}, Baseline.mean().of(image, 2, 1, 4, null), 1e-15);
        float[] asFloat = Baseline.mean().of(new float[]{1, 3, 10, 20, 0, 2, 4, 8}, 2, 1, 4, null, new int[]{0, 0, 1, 1});
        assertArrayEquals(new float[]{2, 2, 15, 15, 1, 1, 6, 6}, asFloat);
    }

    @Test
    void integratedGradientsAgainstTheMeanColourIsExactOnALinearModel() {
        Nd4j.getRandom().setSeed(2);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 3, 2 * 4 * 4);
        GraphClassifier linear = TinyClassifiers.linear(w, Nd4j.randn(DataType.DOUBLE, 3), 2, 4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4);
        int[] classes = {1, 2};
        AttributionResult result = new IntegratedGradients(linear, IntegratedGradients.Options.defaults()
                .withSteps(3, IntegrationRule.GAUSS_LEGENDRE).withBaseline(Baseline.mean())).attribute(x, Target.perImage(classes));
        for (int i = 0; i < 2; i++) {
            INDArray image = x.get(NDArrayIndex.point(i));
            INDArray channelMeans = image.mean(1, 2).reshape(2, 1, 1);
            INDArray expected = image.sub(channelMeans.broadcast(2, 4, 4)).mul(w.getRow(classes[i]).reshape(2, 4, 4));
            assertEquals(0, result.attributions().get(NDArrayIndex.point(i)).sub(expected).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0, result.convergenceDelta()[i], 1e-10, "the mean-colour baseline is rebuilt per row for the delta");
        }
    }

    @Test
    void eachMethodTakesTheKindsItCanFillAndNamesThemWhenRefusing() {
        String occlusion = assertThrows(IllegalArgumentException.class, () -> new Occlusion.Options(8, 8, 4, 4,
                Baseline.Kind.MEAN, 2, 64, Score.LOGIT)).getMessage();
        assertEquals("baseline must be one of zero, blur, got mean", occlusion);
        String lime = assertThrows(IllegalArgumentException.class, () -> new Lime.Options(100,
                Lime.Options.defaults().segmentation(), Baseline.Kind.BLUR, 0.25, 1, 64, Score.LOGIT, 0)).getMessage();
        assertEquals("hideColor must be one of mean, zero, got blur", lime);
        assertThrows(IllegalArgumentException.class, () -> new KernelShap.Options(100,
                KernelShap.Options.defaults().segmentation(), Baseline.Kind.IMAGE, 64, Score.LOGIT, 0));
        String needsBlur = assertThrows(IllegalArgumentException.class, () -> Baseline.ofKind(Baseline.Kind.BLUR)).getMessage();
        assertTrue(needsBlur.contains("blur"), needsBlur);
        assertThrows(IllegalArgumentException.class, () -> Baseline.ofKind(Baseline.Kind.IMAGE));
    }

    @Test
    void recordedSpellingsAreTheOnesEarlierRunsWrote() {
        assertEquals("blur", Provenance.of(Occlusion.Options.defaults(32, 32)).get("baseline"));
        assertEquals("mean", Provenance.of(Lime.Options.defaults()).get("hideColor"));
        assertEquals("mean", Provenance.of(KernelShap.Options.defaults()).get("hideColor"));
        assertEquals("zero", Provenance.optionName(Baseline.Kind.ZERO));
        assertEquals("black", Provenance.of(IntegratedGradients.Options.defaults()).get("baseline"));
        List<String> spelled = List.of(Baseline.black(), Baseline.blur(2), Baseline.mean(), Baseline.uniform(),
                Baseline.image(Nd4j.zeros(1, 3, 2, 2))).stream().map(Baseline::toString).toList();
        assertEquals(List.of("black", "blur(sigma=2.0)", "mean", "uniform", "image"), spelled);
        assertEquals("blur(sigma=2.0, radius=5, border=renormalize)", Baseline.blur(GaussianBlur.renormalized(2)).toString());
    }
}
