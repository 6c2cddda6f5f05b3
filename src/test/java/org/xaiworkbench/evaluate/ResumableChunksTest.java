package org.xaiworkbench.evaluate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.xaiworkbench.model.TinyClassifiers;
import org.xaiworkbench.model.graph.GraphClassifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed after a chunk and resumed ends with the values of an uninterrupted run; a resume of other settings is refused. */
class ResumableChunksTest {
    private static final Map<String, String> FINGERPRINT = Map.of("model", "abc", "methods", "[saliency, smoothgrad]", "chunk", "1");
    private final GraphClassifier model = TinyClassifiers.miniVgg(4, DataType.DOUBLE, 16);
    private final List<Sample> samples = EvaluationFixtures.samples(model, EvaluationFixtures.images(3, 3, 16, 2));
    private final EvaluationConfig config = EvaluationConfig.defaults().withSeed(5, 100, 64).withSubsamples(2, 2);
    private static final MetricSettings SMALL = MetricRegistry.settings(List.of("deletion.steps=8", "insertion.steps=8",
            "infidelity.subsets=20", "faithfulness-correlation.subsets=20"));

    private static final class Killed extends RuntimeException {
    }

    private Evaluation.Result run(Evaluation.ChunkStore store) {
        MethodSuite suite = EvaluationFixtures.suite(model, List.of("saliency", "smoothgrad"));
        List<Metric> metrics = MetricRegistry.ids().stream().map(id -> MetricRegistry.create(id, SMALL)).toList();
        return new Evaluation(suite, metrics, config, new Probe(model, 64, DataType.DOUBLE)).run(samples, 1, new Evaluation.Listener() {
            @Override
            public void explained(Sample sample, String method, double[] map) {
            }

            @Override
            public void progress(String what, int images) {
            }
        }, store);
    }

    @Test
    void aRunKilledAfterItsFirstChunkResumesToTheUninterruptedValues(@TempDir Path dir) throws IOException {
        Evaluation.Result uninterrupted = run(Evaluation.ChunkStore.NONE);
        Path kept = dir.resolve("evaluate.resume");
        ResumableChunks first = ResumableChunks.open(kept, FINGERPRINT, false, note -> { });
        assertThrows(Killed.class, () -> run(new Evaluation.ChunkStore() {
            @Override
            public Evaluation.Chunk load(int index) {
                return first.load(index);
            }

            @Override
            public void save(int index, Evaluation.Chunk chunk) {
                if (index > 0) {
                    throw new Killed();
                }
                first.save(index, chunk);
            }
        }));
        List<String> notes = new ArrayList<>();
        ResumableChunks resumed = ResumableChunks.open(kept, FINGERPRINT, true, notes::add);
        Evaluation.Result result = run(resumed);
        assertEquals(1, resumed.resumed(), "the first chunk is taken, not scored again");
        assertEquals(uninterrupted.rows(), result.rows(), "every value, to the bit");
        assertEquals(uninterrupted.curves(), result.curves());
        assertEquals(uninterrupted.summaries(), result.summaries());
        assertEquals(uninterrupted.verdict(), result.verdict());
        assertEquals(uninterrupted.imagesScored(), result.imagesScored());
        assertTrue(notes.isEmpty(), notes.toString());
        resumed.delete();
        assertTrue(Files.notExists(kept));
    }

    @Test
    void aResumeOfOtherSettingsIsRefusedNamingWhatDiffersAndAFreshRunDiscardsTheOld(@TempDir Path dir) throws IOException {
        Path kept = dir.resolve("evaluate.resume");
        ResumableChunks.open(kept, FINGERPRINT, false, note -> { }).save(0, new Evaluation.Chunk(List.of(), List.of(), Map.of(), Map.of(), 7));
        Map<String, String> otherMethods = new java.util.HashMap<>(FINGERPRINT);
        otherMethods.put("methods", "[saliency]");
        otherMethods.put("metrics", "deletion");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ResumableChunks.open(kept, otherMethods, true, note -> { }));
        assertTrue(refused.getMessage().contains("methods, metrics") && !refused.getMessage().contains("model"), refused.getMessage());
        assertEquals(7, ResumableChunks.open(kept, FINGERPRINT, true, note -> { }).load(0).imagesScored(), "the refusal kept the chunks");

        List<String> notes = new ArrayList<>();
        ResumableChunks fresh = ResumableChunks.open(kept, otherMethods, false, notes::add);
        assertNull(fresh.load(0), "a run without --resume starts afresh");
        assertTrue(notes.get(0).contains("discarding"), notes.toString());
    }

    @Test
    void anUnreadableChunkIsScoredAgain(@TempDir Path dir) throws IOException {
        Path kept = dir.resolve("evaluate.resume");
        ResumableChunks store = ResumableChunks.open(kept, FINGERPRINT, false, note -> { });
        store.save(0, new Evaluation.Chunk(List.of(new Evaluation.Row(1, 2, 3, "saliency", false, "deletion", 0.25)),
                List.of(new CurvePoint(1, "saliency", "deletion", 0, 0.0, null, 0.5)), Map.of("saliency", 9L), Map.of(), 4));
        assertNotNull(store.load(0));
        Path chunk = kept.resolve("chunk-000000.bin");
        byte[] bytes = Files.readAllBytes(chunk);
        Files.write(chunk, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        List<String> notes = new ArrayList<>();
        assertNull(ResumableChunks.open(kept, FINGERPRINT, true, notes::add).load(0));
        assertTrue(notes.size() == 1 && notes.get(0).contains("chunk-000000.bin"), notes.toString());
    }
}
