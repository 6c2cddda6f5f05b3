package org.xaiworkbench.cli;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.Vgg13Network;
import org.xaiworkbench.model.VggSpec;
import org.xaiworkbench.train.LayerProfile;
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
    @Option(names = "--profile", description = "also time every layer's forward and backward pass inside a training step")
    boolean profile;

    @Override
    public Integer call() {
        if (batch <= 0 || iterations <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--batch and --iterations must be > 0 and --warmup >= 0");
        }
        MultiLayerNetwork net = Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 1));
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, VggSpec.INPUT_CHANNELS, VggSpec.INPUT_SIZE, VggSpec.INPUT_SIZE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, VggSpec.NUM_CLASSES);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % VggSpec.NUM_CLASSES, 1f);
        }
        DataSet ds = new DataSet(x, y);
        System.out.println("backend: " + Backend.describe());
        double train = imagesPerSecond(() -> net.fit(ds));
        double infer = imagesPerSecond(() -> net.output(x, false));
        System.out.printf("dl4j train     batch %d: %.1f images/s%n", batch, train);
        System.out.printf("dl4j inference batch %d: %.1f images/s%n", batch, infer);
        if (profile) {
            printProfile(LayerProfile.profile(net, ds, warmup, iterations));
        }
        return 0;
    }

    private void printProfile(LayerProfile.Result result) {
        System.out.printf("%nper training step of %d images (ms):%n%-16s %-22s %9s %9s %7s%n", batch, "layer", "type", "forward",
                "backward", "share");
        for (LayerProfile.LayerTime t : result.layers()) {
            System.out.printf(Locale.ROOT, "%-16s %-22s %9.2f %9.2f %6.1f%%%n", t.name(), t.type(), t.forwardMs(), t.backwardMs(),
                    100 * (t.forwardMs() + t.backwardMs()) / result.fitStepMs());
        }
        System.out.printf(Locale.ROOT, "%-39s %9.2f %16.1f%%%n", "layers, forward + backward", result.layersMs(),
                100 * result.layersMs() / result.fitStepMs());
        System.out.printf(Locale.ROOT, "%-39s %9.2f %16.1f%%%n", "rest of fit() (updater, score, workspaces)", result.outsideLayersMs(),
                100 * result.outsideLayersMs() / result.fitStepMs());
        System.out.printf(Locale.ROOT, "%-39s %9.2f  = %.1f images/s%n", "fit() step", result.fitStepMs(), batch * 1000 / result.fitStepMs());
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
