package org.xaiworkbench.explain.cam;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.explain.Target;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.TinyClassifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayerSurveyTest {
    @Test
    void countsDarkMapsAndLitArea() {
        INDArray maps = Nd4j.create(new double[][]{
                {0, 0, 0, 0},
                {0, 0, 0.3, 0},
                {1, 2, 3, 4},
                {0, 5, 5, 0}}).reshape(4, 1, 2, 2);
        LayerSurvey.Row row = LayerSurvey.summarize("conv_layers.14", maps);
        assertEquals(4, row.images());
        assertEquals(0.25, row.darkShare(), 1e-12);
        assertEquals((0 + 0.25 + 1 + 0.5) / 4, row.litArea(), 1e-12);
    }

    @Test
    void aRunIsTheSummaryOfEachModulesMapsWhateverTheBatch() {
        GraphClassifier net = TinyClassifiers.miniVgg(3, DataType.DOUBLE, 8);
        Nd4j.getRandom().setSeed(5);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 7, 3, 8, 8);
        List<Integer> done = new ArrayList<>();
        Map<String, List<LayerSurvey.Row>> rows = LayerSurvey.run(net, images, net.layerNames(),
                Map.of("cam", new GradCam(net), "cam++", new GradCamPlusPlus(net)), 3, done::add);
        for (int l = 0; l < net.layerNames().size(); l++) {
            String layer = net.layerNames().get(l);
            AbstractCam.Options options = AbstractCam.Options.defaults(net).withLayer(layer);
            INDArray cam = new GradCam(net, options).attribute(images, Target.predicted()).attributions();
            INDArray camPlusPlus = new GradCamPlusPlus(net, options).attribute(images, Target.predicted()).attributions();
            assertRowsClose(LayerSurvey.summarize(layer, cam), rows.get("cam").get(l));
            assertRowsClose(LayerSurvey.summarize(layer, camPlusPlus), rows.get("cam++").get(l));
            assertEquals(l, done.get(l));
        }
        assertEquals(net.layerNames().size(), rows.get("cam").size());
    }

    private static void assertRowsClose(LayerSurvey.Row expected, LayerSurvey.Row actual) {
        assertEquals(expected.layer(), actual.layer());
        assertEquals(expected.images(), actual.images());
        assertEquals(expected.darkShare(), actual.darkShare(), 1e-12);
        assertEquals(expected.litArea(), actual.litArea(), 1e-12);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LayerSurvey.summarize("x", Nd4j.zeros(0, 1, 2, 2)));
        GraphClassifier net = TinyClassifiers.miniVgg(3, DataType.DOUBLE, 8);
        assertThrows(IllegalArgumentException.class,
                () -> LayerSurvey.run(net, Nd4j.rand(DataType.DOUBLE, 1, 3, 8, 8), net.layerNames(), Map.of("cam", new GradCam(net)), 0, l -> { }));
    }
}
