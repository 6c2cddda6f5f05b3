package org.xaiworkbench.model.io.dl4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** Java serialization payloads a hostile model file could carry, built here rather than committed. */
public final class HostilePayloads {
    private HostilePayloads() {
    }

    /** Set when a {@link Marker} is deserialized: the proof that a file made the JVM build an object of its choice. */
    public static final AtomicBoolean MARKER_BUILT = new AtomicBoolean();

    /** A class whose deserialization runs code, as a gadget's would. */
    public static final class Marker implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            MARKER_BUILT.set(true);
        }
    }

    /**
     * HashSets nested {@code depth} levels, each level holding two sets that share children: writing is linear, but
     * reading rehashes every set, which takes 2^depth steps.
     */
    public static byte[] nestedHashSets(int depth) {
        Set<Object> root = new HashSet<>();
        Set<Object> left = root;
        Set<Object> right = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> nextLeft = new HashSet<>();
            Set<Object> nextRight = new HashSet<>();
            nextLeft.add("level " + i);
            left.add(nextLeft);
            left.add(nextRight);
            right.add(nextLeft);
            right.add(nextRight);
            left = nextLeft;
            right = nextRight;
        }
        return serialized(root);
    }

    public static byte[] marker() {
        return serialized(new Marker());
    }

    private static byte[] serialized(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
