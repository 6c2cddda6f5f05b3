package org.xaiworkbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over the bytes of files, in the order given, as lower-case hex. */
public final class ContentHash {
    private ContentHash() {
    }

    public static String of(List<Path> files) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                while (in.read(buffer) >= 0) {
                    // reading feeds the digest
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The hash of a model as given on the command line: the file itself, or in a folder its files named
     * model.* (the weights and their description; the figures beside them do not change the model).
     */
    public static String ofModel(Path model) throws IOException {
        if (!Files.isDirectory(model)) {
            return of(List.of(model));
        }
        try (var files = Files.list(model)) {
            return of(files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith("model.")).sorted().toList());
        }
    }
}
