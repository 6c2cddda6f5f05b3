package org.xaiworkbench.model.vgg;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.DataException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written training step against DL4J's layers doing the same arithmetic, and its state's round trip. */
class VggTrainingTest {
    private static final int ROWS = 6;

    @Test
    void stepsWithoutDropoutMoveTheWeightsExactlyAsDl4jsFitDoes() {
        Vgg13Network.Hyper hyper = new Vgg13Network.Hyper(1e-3, 1e-2, 7);
        VggTraining ours = VggTraining.create(hyper, 0);
        MultiLayerNetwork dl4j = ours.toNetwork();
        for (org.deeplearning4j.nn.api.Layer layer : dl4j.getLayers()) {
            layer.conf().getLayer().setIDropout(null);
        }
        Random random = new Random(3);
        for (int step = 0; step < 3; step++) {
            Nd4j.getRandom().setSeed(step);
            INDArray images = Nd4j.rand(DataType.FLOAT, ROWS, 3, 32, 32).subi(0.5).muli(2);
            int[] labels = random.ints(ROWS, 0, VggSpec.NUM_CLASSES).toArray();
            INDArray oneHot = Nd4j.create(DataType.FLOAT, ROWS, VggSpec.NUM_CLASSES);
            for (int i = 0; i < ROWS; i++) {
                oneHot.putScalar(i, labels[i], 1);
            }
            INDArray before = dl4j.params().dup();
            INDArray probabilities = dl4j.output(images, false);
            VggTraining.StepResult result = ours.fit(images, labels);
            dl4j.fit(new DataSet(images, oneHot));
            double dl4jLoss = 0;
            for (int i = 0; i < ROWS; i++) {
                dl4jLoss -= Math.log(probabilities.getDouble(i, labels[i])) / ROWS;
            }
            assertEquals(dl4jLoss, result.loss(), 1e-4 * Math.abs(dl4jLoss), "loss of step " + step);
            // at initialisation the ten logits nearly tie, so the arg-max may fall on another class within float rounding
            for (int i = 0; i < ROWS; i++) {
                double best = probabilities.getRow(i).maxNumber().doubleValue();
                assertEquals(best, probabilities.getDouble(i, result.predicted()[i]), 1e-4 * best,
                        "step " + step + ", image " + i + ": our prediction is DL4J's most probable class");
            }

            // Float rounding differs between the two (other kernels, other summation orders, threads), and
            // Adam divides by the root of the squared gradients: a parameter whose gradient is near zero
            // can move by up to the learning rate on rounding noise alone, so a few parameters may differ
            // by a full step. A wrong gradient would make the whole update differ by its own size.
            double update = dl4j.params().sub(before).norm2Number().doubleValue();
            double difference = ours.toNetwork().params().sub(dl4j.params()).norm2Number().doubleValue();
            assertTrue(difference < 1e-2 * update, "step " + step + ": parameters differ by " + difference + ", the update is " + update);
        }
        assertEquals(3, ours.steps());
    }

    @Test
    void inferenceOutputIsTheDl4jNetworksAndTheStateRoundTrips() throws Exception {
        VggTraining ours = VggTraining.create(new Vgg13Network.Hyper(1e-3, 0, 11));
        Nd4j.getRandom().setSeed(1);
        INDArray images = Nd4j.rand(DataType.FLOAT, ROWS, 3, 32, 32);
        ours.fit(images, new int[]{0, 1, 2, 3, 4, 5});
        INDArray logits = ours.output(images);
        INDArray dl4jProbabilities = ours.toNetwork().output(images, false);
        INDArray ourProbabilities = Nd4j.nn().softmax(logits, 1);
        assertTrue(ourProbabilities.equalsWithEps(dl4jProbabilities, 1e-5), ourProbabilities + " vs " + dl4jProbabilities);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ours.write(new DataOutputStream(bytes));
        VggTraining copy = VggTraining.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                new Vgg13Network.Hyper(1e-3, 0, 11));
        assertEquals(1, copy.steps());
        Nd4j.getRandom().setSeed(9);
        VggTraining.StepResult a = ours.fit(images, new int[]{5, 4, 3, 2, 1, 0});
        Nd4j.getRandom().setSeed(9);
        VggTraining.StepResult b = copy.fit(images, new int[]{5, 4, 3, 2, 1, 0});
        assertEquals(a.loss(), b.loss());
        assertArrayEquals(ours.toNetwork().params().toFloatVector(), copy.toNetwork().params().toFloatVector());
        assertNotEquals(0.0, ours.output(images).sub(logits).norm2Number().doubleValue(), "a step changes the network");

        assertThrows(IllegalArgumentException.class, () -> ours.fit(images, new int[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ours.fit(images, new int[]{0, 1, 2, 3, 4, 10}));
        assertEquals(2, ours.steps(), "a refused batch is not a step");
    }

    @Test
    void aTrainingStateWhoseHeaderClaimsATerabyteIsRefusedBeforeAllocating() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(7);
        out.writeUTF("MIXED_DATA_TYPES");
        out.writeLong(8);
        out.writeUTF("LONG");
        for (long value : new long[]{2, 1, 1L << 38, 1L << 38, 1, 0, 1, 'c'}) {
            out.writeLong(value);
        }
        out.writeUTF("MIXED_DATA_TYPES");
        out.writeLong(1L << 38);
        out.writeUTF("FLOAT");
        out.writeFloat(1);
        DataException e = assertThrows(DataException.class, () -> VggTraining.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                new Vgg13Network.Hyper(1e-3, 0, 1)));
        assertEquals("parameters: 274877906944 values of type FLOAT are more than one Java array holds", e.getMessage());
    }
}
