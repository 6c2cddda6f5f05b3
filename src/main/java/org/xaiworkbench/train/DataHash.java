package org.xaiworkbench.train;

import org.xaiworkbench.data.Cifar10;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over the training and test batch files, recorded with a model so its data is identifiable. */
final class DataHash {
    private DataHash() {
    }

    static String of(Path batchDir) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
        List<String> files = new ArrayList<>(Cifar10.TRAIN_FILES);
        files.add(Cifar10.TEST_FILE);
        byte[] buffer = new byte[1 << 16];
        for (String name : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(batchDir.resolve(name)), digest)) {
                while (in.read(buffer) >= 0) {
                    // reading feeds the digest
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
