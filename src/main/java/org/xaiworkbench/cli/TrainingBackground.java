package org.xaiworkbench.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.train.Trainer;

import java.io.IOException;
import java.util.Random;

/** The background of the expectation methods (GradientSHAP, DeepSHAP): seeded random training images, as the report's DeepExplainer. */
final class TrainingBackground {
    static final long SEED = 7L;

    private TrainingBackground() {
    }

    /** {@code count} random training images, or null (the methods' own default) for 0. */
    static INDArray sample(int count, String flag) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException(flag + " must be >= 0, got " + count);
        }
        if (count == 0) {
            return null;
        }
        LabeledImages train = Cifar10.readTrain(DatasetLocator.standard().batchDir());
        int[] order = Trainer.permutation(train.size(), new Random(SEED));
        return train.pixelTensor(order, 0, Math.min(count, train.size()));
    }

    /** {@link #sample} brought to {@code model}'s input size and channels, or null for 0. */
    static INDArray forModel(int count, String flag, ImageClassifier model) throws IOException {
        INDArray images = sample(count, flag);
        return images == null ? null : model.fitPictures(images);
    }
}
