package org.xaiworkbench.scale;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.evaluate.Evaluation;
import org.xaiworkbench.evaluate.EvaluationConfig;
import org.xaiworkbench.evaluate.EvaluationPlan;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.ModelBundle;
import org.xaiworkbench.model.io.ModelFiles;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.Vgg13Network;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark tasks score chunks as one JVM does, and a task that fails once and is retried gives the same values. */
class SparkChunksTest {
    @TempDir
    Path dir;

    /** Fails the first attempt of partition 1, as a lost executor would. */
    static final class FailingFirstAttempt<R> implements FlatMapFunction<Iterator<SparkChunks.ChunkTask>, SparkChunks.Done<R>> {
        private final FlatMapFunction<Iterator<SparkChunks.ChunkTask>, SparkChunks.Done<R>> scorer;

        FailingFirstAttempt(FlatMapFunction<Iterator<SparkChunks.ChunkTask>, SparkChunks.Done<R>> scorer) {
            this.scorer = scorer;
        }

        @Override
        public Iterator<SparkChunks.Done<R>> call(Iterator<SparkChunks.ChunkTask> tasks) throws Exception {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 1 && task.attemptNumber() == 0) {
                throw new IllegalStateException("executor lost (injected)");
            }
            return scorer.call(tasks);
        }
    }

    @Test
    void mastersSparkAcceptsPassAndOthersAreRefusedNamingTheFlag() {
        for (String master : List.of("local", "local[*]", "local[2]", "local[2,2]", "spark://host:7077", "k8s://https://api:6443", "yarn",
                "submit")) {
            SparkChunks.checkMaster(master);
        }
        for (String master : List.of("localhost", "local[0]", "local[two]", "spark:/host", "")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> SparkChunks.checkMaster(master));
            assertTrue(e.getMessage().startsWith("--spark " + master + ":"), e.getMessage());
        }
    }

    @Test
    void aRetriedTaskGivesTheValuesOneJvmGives() throws Exception {
        Path folder = dir.resolve("weights");
        ModelStore.save(Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 7)), new ModelCard("test",
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), new double[]{0.5, 0.5, 0.5}, new double[]{0.25, 0.25, 0.25},
                1e-3, 0, 7, 0, 64, "none"), folder, false);
        ModelBundle bundle = ModelBundle.of(folder, ModelFiles.Given.NOTHING);
        GraphClassifier classifier = (GraphClassifier) bundle.load().classifier();
        EvaluationPlan plan = new EvaluationPlan(List.of("saliency", "smoothgrad"), List.of("smoothgrad.nSamples=4"), true,
                List.of("deletion", "max-sensitivity", "model-randomization"), List.of("deletion.steps=8",
                "max-sensitivity.samples=3"), EvaluationConfig.defaults().withSubsamples(3, 2).withSeed(7, 50, 32), null);
        List<Sample> samples = Evaluation.samples(classifier, Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32), new int[]{0, 1, 2, 3},
                new int[]{10, 11, 12, 13});
        Evaluation local = plan.build(classifier).evaluation();
        Map<Integer, Evaluation.Chunk> expected = new TreeMap<>();
        for (int index = 0; index < 4; index++) {
            expected.put(index, local.score(samples.subList(index, index + 1), index, Evaluation.Listener.QUIET));
        }

        AtomicInteger waves = new AtomicInteger();
        Map<Integer, Evaluation.Chunk> scored = new TreeMap<>();
        // local[2, 2]: two task threads, a task may fail once
        try (JavaSparkContext spark = SparkChunks.start("local[2,2]", "test")) {
            new SparkChunks(spark, 2).run(bundle, plan, samples, 1, List.of(0, 1, 2, 3), SparkChunks.SCORE, (index, chunk) -> {
                scored.put(index, chunk);
                waves.incrementAndGet();
            }, FailingFirstAttempt::new);
        }
        assertEquals(expected.keySet(), scored.keySet());
        for (int index : expected.keySet()) {
            assertEquals(expected.get(index).rows(), scored.get(index).rows(), "chunk " + index);
            assertEquals(expected.get(index).curves(), scored.get(index).curves(), "chunk " + index);
        }
        assertTrue(expected.get(0).rows().stream().anyMatch(r -> r.metric().equals("model-randomization")), "the sanity checks ran");
    }
}
