package org.xaiworkbench.model.io;

import org.xaiworkbench.data.RunFolder;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as the bytes of the files {@link ModelFiles} reads for it, with what the command line said about
 * it: a Spark task loads the model from these on a machine that cannot read the driver's paths.
 */
public final class ModelBundle implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String entry;
    private final LinkedHashMap<String, byte[]> files;
    private final ModelFiles.Given given;

    private ModelBundle(String entry, LinkedHashMap<String, byte[]> files, ModelFiles.Given given) {
        this.entry = entry;
        this.files = files;
        this.given = given;
    }

    /**
     * The files of the model at {@code path}: of a folder those named {@code model.*} (the weights and their
     * card), of a file the file and its sidecar.
     */
    public static ModelBundle of(Path path, ModelFiles.Given given) throws IOException {
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        if (Files.isDirectory(path)) {
            try (var listed = Files.list(path)) {
                for (Path file : listed.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith("model.")).sorted()
                        .toList()) {
                    files.put(path.getFileName() + "/" + file.getFileName(), Files.readAllBytes(file));
                }
            }
            return new ModelBundle(path.getFileName().toString(), files, given);
        }
        files.put(path.getFileName().toString(), Files.readAllBytes(path));
        Path sidecar = ModelFiles.sidecarOf(path);
        if (sidecar != null) {
            files.put(sidecar.getFileName().toString(), Files.readAllBytes(sidecar));
        }
        return new ModelBundle(path.getFileName().toString(), files, given);
    }

    /** Bytes the bundle carries, for the run's log. */
    public long bytes() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    /** The model, loaded from a private copy of its files that is deleted once it is read. */
    public ModelFiles.Loaded load() throws IOException {
        Path folder = Files.createTempDirectory("xai-model-");
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = folder.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            return ModelFiles.load(folder.resolve(entry), given);
        } finally {
            RunFolder.deleteTree(folder);
        }
    }

    /** The names of the files it carries, relative to the model's folder. */
    public List<String> fileNames() {
        return List.copyOf(files.keySet());
    }
}
