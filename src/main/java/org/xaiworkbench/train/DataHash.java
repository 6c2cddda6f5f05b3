package org.xaiworkbench.train;

import org.xaiworkbench.data.Cifar10;
import org.xaiworkbench.data.ContentHash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** SHA-256 over the training and test batch files, recorded with a model so its data is identifiable. */
final class DataHash {
    private DataHash() {
    }

    static String of(Path batchDir) throws IOException {
        List<Path> files = new ArrayList<>();
        Cifar10.TRAIN_FILES.forEach(name -> files.add(batchDir.resolve(name)));
        files.add(batchDir.resolve(Cifar10.TEST_FILE));
        return ContentHash.of(files);
    }
}
