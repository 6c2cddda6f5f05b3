package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;
import org.xaiworkbench.model.io.dl4j.HostilePayloads;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeserializationFilterTest {
    @Test
    void processWideFilterRefusesNestedHashSetsAndForeignClassesQuickly() throws Exception {
        DeserializationFilter.install();
        DeserializationFilter.install();
        assertSame(DeserializationFilter.FILTER, ObjectInputFilter.Config.getSerialFilter());

        for (byte[] payload : List.of(HostilePayloads.nestedHashSets(100), HostilePayloads.marker())) {
            InvalidClassException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(InvalidClassException.class,
                    () -> new ObjectInputStream(new ByteArrayInputStream(payload)).readObject()));
            assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
        }
        assertFalse(HostilePayloads.MARKER_BUILT.get());

        InvalidClassException spark = assertThrows(InvalidClassException.class, () -> new ObjectInputStream(new ByteArrayInputStream(
                serialized(new scala.Tuple2<>("a", 1L)))).readObject());
        assertTrue(spark.getMessage().contains("REJECTED"), "Spark's and Scala's classes only in streams Spark opens: " + spark.getMessage());
        assertFalse(DeserializationFilter.openedBySpark());

        assertEquals(List.of("a", 1L), new ObjectInputStream(new ByteArrayInputStream(serialized(new ArrayList<>(List.of("a", 1L)))))
                .readObject(), "plain values and collections still read");
    }

    private static byte[] serialized(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
