package org.xaiworkbench.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.LabeledImages;
import org.xaiworkbench.data.Normalization;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.Vgg13Network;
import org.xaiworkbench.model.vgg.VggTraining;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Trains the VGG on CIFAR-10: a seeded 45,000/5,000 train/validation split, per-epoch validation,
 * a {@link Checkpoint} after every epoch from which {@code --resume} continues a killed run to the same
 * end as an uninterrupted one, and at the end a test evaluation and the final weights written atomically.
 */
public final class Trainer {
    private final TrainConfig config;
    private final PrintStream out;

    public Trainer(TrainConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public TrainReport run(Path batchDir) throws IOException {
        long started = System.nanoTime();
        List<String> classNames = Cifar10.classNames(batchDir);
        Split split = Split.of(Cifar10.readTrain(batchDir), config);
        LabeledImages test = limit(Cifar10.readTest(batchDir), config.evalLimit());
        Normalization norm = Normalization.of(split.train());
        ModelCard card = new ModelCard(config.runName(), classNames, norm.mean(), norm.std(), config.learningRate(),
                config.l2(), config.seed(), config.epochs(), config.batchSize(), DataHash.of(batchDir));

        Recipe recipe = Recipe.of(config, card.dataSha256());
        Path checkpointDir = config.runCheckpointDir();
        List<EpochStats> history = new ArrayList<>();
        Vgg13Network.Hyper hyper = new Vgg13Network.Hyper(config.learningRate(), config.l2(), config.seed());
        VggTraining net = null;
        if (config.resume()) {
            Optional<Checkpoint> checkpoint = Checkpoint.load(checkpointDir, hyper);
            if (checkpoint.isPresent()) {
                List<String> differences = checkpoint.get().recipe().differencesFrom(recipe);
                if (!differences.isEmpty()) {
                    throw new IllegalArgumentException("--resume: " + checkpointDir.resolve(Checkpoint.FILE)
                            + " was made with other settings: " + String.join("; ", differences));
                }
                if (checkpoint.get().history().size() > config.epochs()) {
                    throw new IllegalArgumentException("--epochs " + config.epochs() + ": " + checkpointDir.resolve(Checkpoint.FILE)
                            + " already holds " + checkpoint.get().history().size() + " epochs");
                }
                net = checkpoint.get().training();
                history.addAll(checkpoint.get().history());
                out.printf("resuming %s after epoch %d of %d%n", config.runName(), history.size(), config.epochs());
            } else {
                out.printf("no checkpoint in %s: %s starts from scratch%n", checkpointDir, config.runName());
            }
        }
        if (net == null) {
            net = VggTraining.create(hyper);
        }
        out.printf("backend: %s; training on %d images, validating on %d, testing on %d%n",
                Backend.describe(), split.train().size(), split.validation().size(), test.size());

        ExecutorService batches = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "next-batch");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
                history.add(trainEpoch(net, split, norm, batches, epoch));
                new Checkpoint(net, List.copyOf(history), recipe).save(checkpointDir);
            }
        } finally {
            batches.shutdownNow();
        }

        Evaluator.Result testResult = Evaluator.evaluate(net, test, norm, config.batchSize());
        double seconds = (System.nanoTime() - started) / 1e9;
        TrainReport report = TrainReport.of(config, card, history, testResult, Backend.describe(), seconds);
        Path weights = config.runWeightsDir();
        ModelStore.save(net.toNetwork(), card, weights, false);
        report.writeTo(weights, classNames, testResult.confusion());
        out.printf("test: loss %.4f, accuracy %.2f%%, macro precision %.4f, recall %.4f, F1 %.4f%n",
                testResult.loss(), 100 * testResult.accuracy(), testResult.confusion().macroPrecision(),
                testResult.confusion().macroRecall(), testResult.confusion().macroF1());
        out.printf("wrote %s%n", weights);
        return report;
    }

    /** A batch ready to train on: normalised images and their labels. */
    private record Batch(INDArray images, int[] labels) {
    }

    private EpochStats trainEpoch(VggTraining net, Split split, Normalization norm, ExecutorService batches, int epoch) {
        LabeledImages train = split.train();
        int n = train.size();
        int batchSize = config.batchSize();
        long epochSeed = config.seed() * 1_000_003L + epoch;
        int[] order = permutation(n, new Random(epochSeed));
        // Dropout draws from ND4J's generator: seeding it per epoch makes a resumed run end where an uninterrupted one does.
        Nd4j.getRandom().setSeed(epochSeed);
        long correct = 0;
        double lossSum = 0;
        long start = System.nanoTime();
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, config.epochs()))
                .setInitialMax(n).setUnit(" img", 1).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .setSpeedUnit(ChronoUnit.SECONDS).setUpdateIntervalMillis(1000).setMaxRenderedLength(110);
        try (ProgressBar progress = bar.build()) {
            // the next batch is gathered and normalised on another thread while this one trains
            CompletableFuture<Batch> next = CompletableFuture.supplyAsync(() -> batch(train, norm, order, 0), batches);
            for (int from = 0; from < n; from += batchSize) {
                Batch batch = next.join();
                int following = from + batchSize;
                if (following < n) {
                    next = CompletableFuture.supplyAsync(() -> batch(train, norm, order, following), batches);
                }
                VggTraining.StepResult step = net.fit(batch.images(), batch.labels());
                for (int i = 0; i < batch.labels().length; i++) {
                    correct += step.predicted()[i] == batch.labels()[i] ? 1 : 0;
                }
                int to = from + batch.labels().length;
                lossSum += step.loss() * batch.labels().length;
                progress.stepBy(batch.labels().length);
                progress.setExtraMessage(String.format("loss %.3f", lossSum / to));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluator.Result val = Evaluator.evaluate(net, split.validation(), norm, config.batchSize());
        EpochStats stats = new EpochStats(epoch, lossSum / n, (double) correct / n, val.loss(), val.accuracy(),
                seconds, n / seconds);
        out.printf("epoch %d/%d: train loss %.4f acc %.2f%% | val loss %.4f acc %.2f%% | %.0f img/s, %s%n", epoch,
                config.epochs(), stats.trainLoss(), 100 * stats.trainAccuracy(), stats.validationLoss(),
                100 * stats.validationAccuracy(), stats.imagesPerSecond(),
                Duration.ofSeconds(Math.round(seconds)).toString().substring(2).toLowerCase());
        return stats;
    }

    private Batch batch(LabeledImages train, Normalization norm, int[] order, int from) {
        int to = Math.min(train.size(), from + config.batchSize());
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) {
            labels[i - from] = train.labels()[order[i]];
        }
        return new Batch(norm.applyInPlace(train.pixelTensor(order, from, to)), labels);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static LabeledImages limit(LabeledImages images, int limit) {
        return limit == 0 || limit >= images.size() ? images : images.range(0, limit);
    }

    /** The seeded train/validation split of the 50,000 training images. */
    record Split(LabeledImages train, LabeledImages validation) {
        static Split of(LabeledImages all, TrainConfig config) {
            if (config.validationSize() >= all.size()) {
                throw new IllegalArgumentException("--validation must be < " + all.size() + ", got " + config.validationSize());
            }
            int[] p = permutation(all.size(), new Random(config.seed()));
            int v = config.validationSize();
            int[] valIdx = java.util.Arrays.copyOfRange(p, 0, v);
            int[] trainIdx = java.util.Arrays.copyOfRange(p, v, p.length);
            LabeledImages train = limit(all.select(trainIdx), config.trainLimit());
            LabeledImages validation = limit(all.select(valIdx), config.evalLimit());
            return new Split(train, validation);
        }
    }
}
