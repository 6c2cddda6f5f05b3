package org.xaiworkbench.explain;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.TinyClassifiers;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered method, with its default options, on a small network with the real model's
 * module names, input size and classes: the result has the input's shape (or one channel), one row
 * per image explained for its predicted class, finite values, the same values on a second run, and
 * bad inputs fail with a clear IllegalArgumentException rather than a native error or a wrong map.
 */
class AttributionConformanceTest {
    private static final GraphClassifier MODEL = TinyClassifiers.miniVgg(17, DataType.FLOAT);

    private static double scale(AttributionResult result) {
        return Math.max(1e-12, result.attributions().amaxNumber().doubleValue());
    }

    private static INDArray images() {
        Nd4j.getRandom().setSeed(23);
        return Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
    }

    @Test
    void theRegistryListsTheMethodsAndRejectsUnknownIds() {
        List<String> ids = AttributionRegistry.ids();
        assertFalse(ids.isEmpty());
        assertEquals(ids.size(), ids.stream().distinct().count(), "duplicate ids in " + ids);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttributionRegistry.create("no-such-method", MODEL));
        assertTrue(e.getMessage().contains("no-such-method"), e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> everyMethodConforms() {
        return AttributionRegistry.ids().stream().map(id -> DynamicTest.dynamicTest(id, () -> conforms(id)));
    }

    private static void conforms(String id) {
        Attribution method = AttributionRegistry.create(id, MODEL);
        assertEquals(id, method.id());
        INDArray x = images();
        INDArray before = x.dup();
        AttributionResult result = method.attribute(x, Target.predicted());
        assertEquals(0, x.sub(before).amaxNumber().doubleValue(), 0, id + " modified its input");

        long[] shape = result.attributions().shape();
        assertEquals(4, shape.length, id + ": " + Arrays.toString(shape));
        assertEquals(2, shape[0], id);
        assertTrue(shape[1] == 3 || shape[1] == 1, id + ": " + Arrays.toString(shape));
        assertEquals(32, shape[2], id);
        assertEquals(32, shape[3], id);
        assertFalse(result.attributions().isNaN().any() || result.attributions().isInfinite().any(), id + " gave non-finite values");
        assertArrayEquals(new int[]{0, 1}, result.image(), id);
        INDArray logits = MODEL.logits(x);
        for (int i = 0; i < 2; i++) {
            assertEquals(logits.getRow(i).argMax().getInt(0), result.targets()[i], id);
        }
        assertEquals(2, result.targetScores().length, id);
        if (result.convergenceDelta() != null) {
            assertEquals(2, result.convergenceDelta().length, id);
        }

        INDArray again = method.attribute(x, Target.predicted()).attributions();
        assertEquals(0, result.attributions().sub(again).amaxNumber().doubleValue(), 0, id + " is not deterministic");

        // the same classes given instead of predicted: the same maps and scores (one-pass methods take another path)
        AttributionResult given = method.attribute(x, Target.perImage(result.targets()));
        assertEquals(0, result.attributions().sub(given.attributions()).amaxNumber().doubleValue(), 1e-5 * scale(result), id);
        assertArrayEquals(result.targetScores(), given.targetScores(), 1e-5, id);

        // two copies of image 1 sharing a call, both on stream 0, each get the map image 1 gets alone
        INDArray second = x.get(NDArrayIndex.interval(1, 2));
        int[] target = {result.targets()[1]};
        INDArray alone = method.attribute(second, Target.perImage(target)).attributions();
        INDArray copies = method.attribute(Nd4j.concat(0, second, second), Target.perImage(target[0], target[0]), new int[]{0, 0})
                .attributions();
        for (int i = 0; i < 2; i++) {
            assertEquals(0, copies.get(NDArrayIndex.interval(i, i + 1)).sub(alone).amaxNumber().doubleValue(),
                    1e-5 * Math.max(1e-12, alone.amaxNumber().doubleValue()), id + " copy " + i);
        }

        assertThrows(IllegalArgumentException.class, () -> method.attribute(Nd4j.rand(DataType.FLOAT, 3, 32, 32), Target.predicted()),
                id + " accepted a rank-3 input");
        INDArray withNaN = x.dup();
        withNaN.putScalar(new int[]{1, 2, 3, 4}, Float.NaN);
        assertThrows(IllegalArgumentException.class, () -> method.attribute(withNaN, Target.predicted()), id + " accepted NaN");
        IllegalArgumentException badClass = assertThrows(IllegalArgumentException.class,
                () -> method.attribute(x, Target.fixed(MODEL.numClasses())), id + " accepted class " + MODEL.numClasses());
        assertTrue(badClass.getMessage().contains(String.valueOf(MODEL.numClasses())), badClass.getMessage());
    }
}
