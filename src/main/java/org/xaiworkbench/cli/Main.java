package org.xaiworkbench.cli;

import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Entry point: picks the native backend before ND4J loads, then runs a subcommand. */
@Command(name = "xai", mixinStandardHelpOptions = true,
        description = "Train the report's VGG13 on CIFAR-10 and explain its decisions.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, EvaluateBenchCommand.class, BenchCommand.class, ExplainCommand.class, ExplainDatasetCommand.class, ExplainBenchCommand.class, RobustnessCommand.class, RobustnessBenchCommand.class, PerturbationBenchCommand.class, CamLayersCommand.class, LayersCommand.class, ReportCommand.class, ZooCheckCommand.class, MethodCheckCommand.class, StateDictCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        Backend.configure();
        System.setProperty("java.awt.headless", "true");
        DeserializationFilter.install();
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(new OneLineParameterErrors());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof DataException
                    || e instanceof IOException || e instanceof UncheckedIOException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
