package org.xaiworkbench.cli;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.vgg.Vgg13Network;
import org.xaiworkbench.model.vgg.VggTraining;
import org.xaiworkbench.model.vgg.VggSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training and inference images/s of the VGG13 at a given batch size.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--iterations", defaultValue = "30", description = "timed batches per measurement (default ${DEFAULT-VALUE})")
    int iterations;
    @Option(names = "--warmup", defaultValue = "5", description = "untimed batches first (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--jit-warmup-max-seconds", defaultValue = "60",
            description = "longest wait for the JIT compiler to go quiet before timing (default ${DEFAULT-VALUE})")
    double jitWarmupMaxSeconds;
    @Option(names = "--profile", description = "also print ND4J's per-op time profile of --iterations training steps")
    boolean profile;
    @Option(names = "--dl4j-layers", description = "also time the same network as DL4J layers (fit() and output())")
    boolean dl4jLayers;

    @Override
    public Integer call() {
        if (batch <= 0 || iterations <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--batch and --iterations must be > 0 and --warmup >= 0");
        }
        if (!(jitWarmupMaxSeconds >= 0 && jitWarmupMaxSeconds <= 3600)) {
            throw new IllegalArgumentException("--jit-warmup-max-seconds must be in 0..3600, got " + jitWarmupMaxSeconds);
        }
        Vgg13Network.Hyper hyper = new Vgg13Network.Hyper(1e-3, 0, 1);
        VggTraining training = VggTraining.create(hyper);
        MultiLayerNetwork net = training.toNetwork();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE, VggSpec.INPUT_SIZE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, VggSpec.NUM_CLASSES);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % VggSpec.NUM_CLASSES;
            y.putScalar(i, labels[i], 1f);
        }
        DataSet ds = new DataSet(x, y);
        System.out.println("backend: " + Backend.describe());
        // training and inference in rounds until the JIT compiler, which takes a core from the two OpenMP threads, is done
        JitWarmup.Result warm = JitWarmup.ofThisJvm().run(() -> {
            training.fit(x, labels);
            training.output(x);
        }, JitWarmup.QUIET_FRACTION, jitWarmupMaxSeconds);
        System.out.println(warm.describe());
        double train = imagesPerSecond(() -> training.fit(x, labels));
        double infer = imagesPerSecond(() -> training.output(x));
        System.out.printf("train     batch %d: %.1f images/s%n", batch, train);
        System.out.printf("inference batch %d: %.1f images/s%n", batch, infer);
        if (dl4jLayers) {
            double dl4jTrain = imagesPerSecond(() -> net.fit(ds));
            double dl4jInfer = imagesPerSecond(() -> net.output(x, false));
            System.out.printf("dl4j layers train     batch %d: %.1f images/s%n", batch, dl4jTrain);
            System.out.printf("dl4j layers inference batch %d: %.1f images/s%n", batch, dl4jInfer);
        }
        if (profile) {
            profileTraining(training, x, labels);
        }
        return 0;
    }

    /**
     * ND4J's own op profiler over real training steps: time per native op (conv2d, conv3dnew_bp,
     * matmul, adam_updater, ...), which is where a step's time goes.
     */
    private void profileTraining(VggTraining training, INDArray x, int[] labels) {
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.ALL);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < iterations; i++) {
                training.fit(x, labels);
            }
        } finally {
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        }
        System.out.printf(Locale.ROOT, "%nND4J op profile of %d training steps (%.1f ms per step while profiled):%n", iterations,
                (System.nanoTime() - start) / 1e6 / iterations);
        OpProfiler.getInstance().printOutDashboard();
    }

    private double imagesPerSecond(Runnable step) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            step.run();
        }
        return (double) batch * iterations / ((System.nanoTime() - start) / 1e9);
    }
}
