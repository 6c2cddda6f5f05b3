package org.xaiworkbench.evaluate;

import org.xaiworkbench.evaluate.faithfulness.DeletionInsertionCurves;
import org.xaiworkbench.evaluate.faithfulness.RoadCurves;
import org.xaiworkbench.evaluate.faithfulness.SubsetPerturbations;
import org.xaiworkbench.evaluate.faithfulness.Substrate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.model.Classifier;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.Score;
import org.xaiworkbench.model.TinyClassifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small models, images and batches for the metric tests, all in double precision. */
public final class EvaluationFixtures {
    public static final int CHANNELS = 3;
    public static final int SIZE = 8;
    public static final int CLASSES = 4;

    private EvaluationFixtures() {
    }

    /** logits = W vec(x) + b on 3×8×8 images with seeded normal weights. */
    public static GraphClassifier linear(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int inputs = CHANNELS * SIZE * SIZE;
        double[] w = new double[CLASSES * inputs];
        for (int k = 0; k < w.length; k++) {
            w[k] = random.nextGaussian();
        }
        double[] b = new double[CLASSES];
        for (int k = 0; k < b.length; k++) {
            b[k] = random.nextGaussian();
        }
        return TinyClassifiers.linear(Nd4j.create(w, new long[]{CLASSES, inputs}, 'c'), Nd4j.create(b, new long[]{CLASSES}, 'c'),
                CHANNELS, SIZE);
    }

    /** The linear model's weights of one class as [C*H*W]. */
    public static double[] classWeights(GraphClassifier linear, int target) {
        double[] w = new double[CHANNELS * SIZE * SIZE];
        for (int k = 0; k < w.length; k++) {
            double[] image = new double[w.length];
            image[k] = 1;
            double[] zero = new double[w.length];
            w[k] = logits(linear, image)[target] - logits(linear, zero)[target];
        }
        return w;
    }

    /** The logits of one 3-channel square image. */
    public static double[] logits(Classifier classifier, double[] image) {
        int size = (int) Math.round(Math.sqrt(image.length / (double) CHANNELS));
        return HostValues.of(classifier.logits(tensor(List.of(image), CHANNELS, size)));
    }

    /** Seeded uniform images in [0,1]. */
    public static INDArray images(int n, int channels, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return HostValues.array(random.doubles((long) n * channels * size * size).toArray(), new long[]{n, channels, size, size},
                DataType.DOUBLE);
    }

    public static List<Sample> samples(Classifier classifier, INDArray images) {
        int n = (int) images.size(0);
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return Evaluation.samples(classifier, images, new int[n], indices);
    }

    public static INDArray tensor(List<double[]> images, int channels, int size) {
        double[] flat = new double[images.size() * channels * size * size];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, flat, i * channels * size * size, channels * size * size);
        }
        return HostValues.array(flat, new long[]{images.size(), channels, size, size}, DataType.DOUBLE);
    }

    /** The run-wide settings of the metric tests: a fixed seed, 200 bootstrap resamples. */
    public static EvaluationConfig config() {
        return EvaluationConfig.defaults().withSeed(3, 200, 64);
    }

    /** Deletion or insertion on the logit, from or to black, in {@code steps} steps. */
    public static DeletionInsertionCurves.Options logitCurves(int steps) {
        return new DeletionInsertionCurves.Options(steps, Substrate.BLACK, 2.0, Score.LOGIT);
    }

    /** 40 subsets of 6 of an 8x8 image's pixels set to black, on the logit. */
    public static SubsetPerturbations.Options subsets() {
        return new SubsetPerturbations.Options(40, 6.0 / 64, SubsetPerturbations.Unit.PIXEL, SubsetPerturbations.Fill.ZERO, Score.LOGIT);
    }

    /** ROAD's default levels on the logit. */
    public static RoadCurves.Options logitRoad() {
        RoadCurves.Options defaults = RoadCurves.Options.defaults();
        return new RoadCurves.Options(defaults.fractions(), defaults.noise(), Score.LOGIT);
    }

    public static MethodSuite suite(Classifier classifier, List<String> methods) {
        return new MethodSuite(methods, MethodContext.of(classifier), true, DataType.DOUBLE);
    }

    public static EvaluationBatch batch(Classifier classifier, List<Sample> samples, Map<String, double[][]> maps, EvaluationConfig config,
                                 int probeBatch) {
        return new EvaluationBatch(samples, maps, suite(classifier, List.of()), new Probe(classifier, probeBatch, DataType.DOUBLE),
                config);
    }

    /** Each method's maps of the samples, explained by the suite. */
    public static Map<String, double[][]> explain(MethodSuite suite, List<Sample> samples) {
        Map<String, double[][]> maps = new java.util.LinkedHashMap<>();
        List<double[]> images = new ArrayList<>();
        samples.forEach(s -> images.add(s.pixels()));
        int[] targets = samples.stream().mapToInt(Sample::target).toArray();
        for (String id : suite.ids()) {
            maps.put(id, suite.explain(id, suite.classifier(), images, samples.get(0), targets));
        }
        return maps;
    }
}
