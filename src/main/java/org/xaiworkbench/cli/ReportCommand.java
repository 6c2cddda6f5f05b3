package org.xaiworkbench.cli;

import org.xaiworkbench.model.vgg.VggSpec;
import org.xaiworkbench.report.ArchitectureRow;
import org.xaiworkbench.report.CodeVersion;
import org.xaiworkbench.report.ReportBuilder;
import org.xaiworkbench.report.SectionView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** One offline HTML page from what the other commands wrote; loads no model, so it takes seconds. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "One offline HTML page (index.html + assets/) from what train, explain, evaluate, cam-layers and robustness wrote.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--weights", split = ",", defaultValue = "weights/base,weights/l2",
            description = "weights folders whose training the page shows, default ${DEFAULT-VALUE}")
    List<Path> weights;
    @Option(names = "--outputs", defaultValue = "outputs",
            description = "folder holding explain/, evaluate/, cam-layers/ and robustness/, default ${DEFAULT-VALUE}")
    Path outputs;
    @Option(names = "--out", defaultValue = "outputs/report", description = "folder of index.html and assets/, default ${DEFAULT-VALUE}")
    Path out;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        ReportBuilder.Result result = run();
        result.warnings().forEach(warning -> System.err.println("warning: " + warning));
        for (SectionView section : result.sections()) {
            System.out.printf(Locale.ROOT, "%d. %-28s %s%n", section.number(), section.title(), state(section));
        }
        System.out.printf(Locale.ROOT, "wrote %s (%.1f s)%n", result.page(), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    public ReportBuilder.Result run() throws IOException {
        requireFolderOrAbsent(out, "--out");
        requireFolderOrAbsent(outputs, "--outputs");
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("--weights: give at least one weights folder");
        }
        for (Path folder : weights) {
            requireFolderOrAbsent(folder, "--weights");
        }
        Path projectDir = Path.of("").toAbsolutePath();
        ReportBuilder.Inputs inputs = new ReportBuilder.Inputs(weights, outputs, projectDir, architecture(),
                CodeVersion.describe(projectDir));
        return ReportBuilder.build(inputs, out, Instant.now());
    }

    /** The modules of the network every weights folder holds, as the model card lists them. */
    static List<ArchitectureRow> architecture() {
        return VggSpec.modules().stream().map(module -> new ArchitectureRow(module.name(), layer(module), shape(module),
                module.paramCount())).toList();
    }

    private static String layer(VggSpec.Module module) {
        return switch (module.kind()) {
            case CONV -> "Conv2d " + module.in() + "→" + module.out() + ", 3×3, padding 1";
            case RELU -> "ReLU";
            case MAXPOOL -> "MaxPool 2×2";
            case LINEAR -> "Linear " + module.in() + "→" + module.out();
            case DROPOUT -> "Dropout " + VggSpec.DROPOUT;
        };
    }

    private static String shape(VggSpec.Module module) {
        return module.height() == 1 && module.width() == 1 ? String.valueOf(module.channels())
                : module.channels() + "×" + module.height() + "×" + module.width();
    }

    private static String state(SectionView section) {
        return switch (section.status()) {
            case BUILT -> section.notRun().isEmpty() ? "built" : "built; not run yet: " + section.notRun().get(0).command();
            case NOT_RUN -> "not run yet: " + section.notRun().get(0).command();
            case SKIPPED -> "skipped (see the warning)";
        };
    }

    private static void requireFolderOrAbsent(Path path, String flag) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new IllegalArgumentException(flag + " " + path + ": is a file, expected a folder");
        }
    }
}
