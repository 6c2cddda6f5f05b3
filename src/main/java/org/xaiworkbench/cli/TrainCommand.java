package org.xaiworkbench.cli;

import org.xaiworkbench.data.DatasetLocator;
import org.xaiworkbench.train.TrainConfig;
import org.xaiworkbench.train.TrainReport;
import org.xaiworkbench.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the VGG13 on CIFAR-10 (Adam, cross-entropy), checkpointing every epoch.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--run", defaultValue = "base", description = "run name; weights go to <weights>/<run> (default ${DEFAULT-VALUE})")
    String run;
    @Option(names = "--epochs", defaultValue = "10", description = "default ${DEFAULT-VALUE}")
    int epochs;
    @Option(names = "--batch", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate, default ${DEFAULT-VALUE}")
    double lr;
    @Option(names = "--l2", defaultValue = "0", description = "L2 coefficient, as PyTorch Adam's weight_decay (default ${DEFAULT-VALUE})")
    double l2;
    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--validation", defaultValue = "5000", description = "validation images held out of the 50,000 (default ${DEFAULT-VALUE})")
    int validation;
    @Option(names = "--train-limit", defaultValue = "0", description = "train on the first N images of the split only (0 = all)")
    int trainLimit;
    @Option(names = "--eval-limit", defaultValue = "0", description = "validate and test on the first N images only (0 = all)")
    int evalLimit;
    @Option(names = "--checkpoints", defaultValue = "outputs/checkpoints", description = "default ${DEFAULT-VALUE}")
    Path checkpoints;
    @Option(names = "--weights", defaultValue = "weights", description = "default ${DEFAULT-VALUE}")
    Path weights;
    @Option(names = "--resume", description = "continue from the run's last checkpoint")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = new TrainConfig(run, epochs, batch, lr, l2, seed, validation, trainLimit, evalLimit,
                checkpoints, weights, resume);
        TrainReport report = new Trainer(config, System.out).run(DatasetLocator.standard().batchDir());
        return report.epochs().isEmpty() ? 1 : 0;
    }
}
