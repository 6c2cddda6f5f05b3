package org.xaiworkbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.data.ImageFolder;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.evaluate.Evaluation;
import org.xaiworkbench.evaluate.ImageNames;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.model.graph.GraphClassifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The images of a chunked, resumable run ({@code evaluate}, {@code explain-dataset}): CIFAR-10 test images from
 * --first on, or the pictures of --images-dir; their flags checked, what identifies them for a resume, and where
 * the run keeps its finished chunks.
 */
final class RunImages {
    private RunImages() {
    }

    /** Refuses --images, --first and --images-dir that cannot pick any image, in one line naming the flags. */
    static void check(int images, int first, Path imagesDir) {
        if (images <= 0 || first < 0) {
            throw new IllegalArgumentException("--images must be > 0 and --first >= 0, got --images " + images + " --first " + first);
        }
        if (imagesDir == null && first + images > 10_000) {
            throw new IllegalArgumentException("--first and --images must pick test images within 0..9999, got --first " + first
                    + " --images " + images);
        }
        if (imagesDir != null && !Files.isDirectory(imagesDir)) {
            throw new IllegalArgumentException("--images-dir " + imagesDir + ": no such folder");
        }
    }

    /** The test images, or with {@code imagesDir} its pictures; {@code command} names the run in its notes. */
    static Chosen choose(GraphClassifier classifier, ModelOption modelOption, Path imagesDir, int first, int images, String command)
            throws IOException {
        return imagesDir == null ? testImages(classifier, first, images) : pictures(classifier, modelOption, imagesDir, first, images, command);
    }

    /** What identifies the images for a resume, as JSON in a fixed order (Map.of's differs from one JVM to the next). */
    static String fingerprint(Chosen chosen, int first, Path imagesDir) throws JsonProcessingException {
        Map<String, Object> images = new LinkedHashMap<>();
        images.put("first", first);
        images.put("count", chosen.samples().size());
        images.put("dir", imagesDir == null ? null : imagesDir.toAbsolutePath().toString());
        images.put("pictures", chosen.pictureNames());
        return new ObjectMapper().writeValueAsString(images);
    }

    /** Where finished chunks are kept until the run's outputs are in place: beside --out, so a new run into --out keeps them. */
    static Path resumeFolder(Path out) {
        Path absolute = out.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".resume");
    }

    /** The images a run scores and what its outputs call them; {@code pictureNames} (those scored, in order) is null for test images. */
    record Chosen(List<Sample> samples, ImageNames names, List<String> pictureNames) {
    }

    /** Test images first..first+count-1, named cifarNNNN. */
    private static Chosen testImages(GraphClassifier classifier, int first, int count) throws IOException {
        return new Chosen(testSamples(classifier, first, count), ImageNames.testImages(Cifar10.classNames(DatasetLocator.standard().batchDir())),
                null);
    }

    /**
     * The readable pictures of --images-dir from --first on, at most --images of them, at the model's
     * input size and cropped as --preprocess says; a folder without any is refused in one line.
     */
    private static Chosen pictures(GraphClassifier classifier, ModelOption modelOption, Path imagesDir, int first, int images, String command)
            throws IOException {
        int[] shape = classifier.inputShape();
        ImageFolder.Images pictures = ImageFolder.read(imagesDir, System.err::println, Math.max(shape[1], shape[2]),
                modelOption.preprocessing().cropFraction());
        if (pictures.size() == 0) {
            throw new IllegalArgumentException("--images-dir " + imagesDir + ": no readable .png, .jpg or .jpeg pictures");
        }
        if (first >= pictures.size()) {
            throw new IllegalArgumentException("--first " + first + ": " + imagesDir + " holds " + pictures.size() + " readable pictures");
        }
        int end = Math.min(pictures.size(), first + images);
        if (end - first < pictures.size()) {
            System.err.printf(Locale.ROOT, "%s: pictures %d-%d of the %d in %s (--first, --images)%n", command, first, end - 1,
                    pictures.size(), imagesDir);
        }
        INDArray chosen = classifier.fitPictures(pictures.pixels().get(NDArrayIndex.interval(first, end)).dup());
        return new Chosen(Evaluation.unlabelledSamples(classifier, chosen, first), ImageNames.pictures(pictures.names()),
                pictures.names().subList(first, end));
    }

    /** Test images first..first+count-1, each to be explained for the class the model predicts. */
    static List<Sample> testSamples(GraphClassifier classifier, int first, int count) throws IOException {
        LabeledImages test = Cifar10.readTest(DatasetLocator.standard().batchDir());
        int[] indices = new int[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = first + i;
            labels[i] = test.labels()[first + i];
        }
        return Evaluation.samples(classifier, classifier.fitPictures(test.pixelTensor(first, first + count)), labels, indices);
    }

}
