package org.xaiworkbench.cli;

import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.PyTorchStateDict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The report's VGG13 trained here, as PyTorch reads it: {@code torch.load}-free arrays in an .npz with the
 * state dict's keys (conv_layers.0.weight, ...) and a sidecar .json beside it with the class names and
 * the normalization, which {@code --model FILE.npz} also reads back.
 */
@Command(name = "state-dict", mixinStandardHelpOptions = true,
        description = "Write a model folder of the report's VGG13 as a PyTorch state dict (.npz) with its sidecar .json.")
public final class StateDictCommand implements Callable<Integer> {
    @Option(names = {"--model", "--weights"}, defaultValue = "weights/base", description = "a folder written by make train; default ${DEFAULT-VALUE}")
    Path model;

    @Option(names = "--out", required = true, description = "the .npz to write; the sidecar goes beside it with .json")
    Path out;

    @Override
    public Integer call() throws IOException {
        String name = out.getFileName().toString();
        if (!name.endsWith(".npz")) {
            throw new IllegalArgumentException("--out: " + out + " must end in .npz");
        }
        if (!Files.isDirectory(model)) {
            throw new DataException(model + ": not a model folder (model.zip + model.json)");
        }
        ModelStore.Loaded loaded = ModelStore.load(model, false);
        ModelCard card = loaded.card();
        Path sidecar = out.resolveSibling(name.substring(0, name.length() - ".npz".length()) + ".json");
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("classNames", card.classNames());
        described.put("mean", card.mean());
        described.put("std", card.std());
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        PyTorchStateDict.writeNpz(PyTorchStateDict.fromNetwork(loaded.network()), out);
        AtomicFiles.writeString(sidecar, ModelStore.JSON.writeValueAsString(described));
        System.out.println("wrote " + out + " and " + sidecar);
        return 0;
    }
}
