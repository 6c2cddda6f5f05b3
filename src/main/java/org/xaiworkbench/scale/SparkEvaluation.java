package org.xaiworkbench.scale;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.xaiworkbench.evaluate.Evaluation;
import org.xaiworkbench.evaluate.EvaluationPlan;
import org.xaiworkbench.evaluate.Sample;
import org.xaiworkbench.model.Backend;
import org.xaiworkbench.model.graph.GraphClassifier;
import org.xaiworkbench.model.io.ModelBundle;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An evaluation's chunks scored on Apache Spark: each task loads the model once from the broadcast bytes of
 * its files, builds the run's methods and metrics from the plan and scores its chunks with the code a single
 * JVM runs ({@link Evaluation#score}). Every draw is seeded by image and metric, so a chunk's values do not
 * depend on the executor, the partitioning or a retried attempt; the driver aggregates them as one JVM does.
 */
public final class SparkEvaluation {
    /** Chunks a task scores per wave: enough to spread the model's loading, few enough that a kill loses little. */
    static final int CHUNKS_PER_TASK = 2;

    private final JavaSparkContext spark;
    private final int partitions;

    /**
     * @param partitions tasks per wave; 0 for the context's default parallelism
     */
    public SparkEvaluation(JavaSparkContext spark, int partitions) {
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        }
        this.spark = spark;
        this.partitions = partitions == 0 ? spark.defaultParallelism() : partitions;
    }

    /**
     * A context for {@code master}: a master URL ({@code local[2]}, {@code spark://host:7077}) or {@code submit}
     * for the one {@code spark-submit} sets.
     */
    public static JavaSparkContext start(String master) {
        SparkConf conf = new SparkConf().setAppName("xai-workbench evaluate").set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (!"submit".equals(master)) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark submit: no master given; run through spark-submit --master ..., or name one");
        }
        if (conf.get("spark.master").startsWith("local")) {
            // one JVM: its tasks reach the driver on this machine only
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return new JavaSparkContext(conf);
    }

    public int partitions() {
        return partitions;
    }

    /** One chunk of a run as a task receives it: its index, its first image's position in the run, its images. */
    record ChunkTask(int index, int start, List<Sample> samples) implements Serializable {
    }

    /** A scored chunk on its way back to the driver. */
    record ScoredChunk(int index, Evaluation.Chunk chunk) implements Serializable {
    }

    /**
     * Scores the chunks {@code todo} (indices into the run's chunks of {@code chunk} images each) in waves of
     * {@link #CHUNKS_PER_TASK} chunks per task, handing each wave's chunks to {@code done} as it ends.
     */
    public void score(ModelBundle model, EvaluationPlan plan, List<Sample> samples, int chunk, List<Integer> todo,
                      BiConsumer<Integer, Evaluation.Chunk> done) {
        score(model, plan, samples, chunk, todo, done, scorer -> scorer);
    }

    /** As the public {@code score}, each task running what {@code tasks} makes of the scorer (a test injects failures). */
    void score(ModelBundle model, EvaluationPlan plan, List<Sample> samples, int chunk, List<Integer> todo,
               BiConsumer<Integer, Evaluation.Chunk> done,
               Function<ChunkScorer, FlatMapFunction<Iterator<ChunkTask>, ScoredChunk>> taskBody) {
        Broadcast<ModelBundle> bundle = spark.broadcast(model);
        Broadcast<EvaluationPlan> broadcastPlan = spark.broadcast(plan);
        int wave = partitions * CHUNKS_PER_TASK;
        try {
            for (int from = 0; from < todo.size(); from += wave) {
                List<ChunkTask> tasks = new ArrayList<>();
                for (int index : todo.subList(from, Math.min(todo.size(), from + wave))) {
                    int start = index * chunk;
                    tasks.add(new ChunkTask(index, start, List.copyOf(samples.subList(start, Math.min(samples.size(), start + chunk)))));
                }
                List<ScoredChunk> scored = spark.parallelize(tasks, Math.min(partitions, tasks.size()))
                        .mapPartitions(taskBody.apply(new ChunkScorer(bundle, broadcastPlan))).collect();
                Map<Integer, Evaluation.Chunk> byIndex = new HashMap<>();
                scored.forEach(s -> byIndex.put(s.index(), s.chunk()));
                for (ChunkTask task : tasks) {
                    done.accept(task.index(), byIndex.get(task.index()));
                }
            }
        } finally {
            bundle.destroy();
            broadcastPlan.destroy();
        }
    }

    /** What a task runs: the model loaded once, then its chunks scored in order. */
    static final class ChunkScorer implements FlatMapFunction<Iterator<ChunkTask>, ScoredChunk> {
        private final Broadcast<ModelBundle> model;
        private final Broadcast<EvaluationPlan> plan;

        ChunkScorer(Broadcast<ModelBundle> model, Broadcast<EvaluationPlan> plan) {
            this.model = model;
            this.plan = plan;
        }

        @Override
        public Iterator<ScoredChunk> call(Iterator<ChunkTask> tasks) {
            if (!tasks.hasNext()) {
                return List.<ScoredChunk>of().iterator();
            }
            Backend.configure();
            GraphClassifier classifier;
            try {
                if (!(model.value().load().classifier() instanceof GraphClassifier graph)) {
                    throw new IllegalStateException("the model is not a layer graph");
                }
                classifier = graph;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Evaluation evaluation = plan.value().build(classifier).evaluation();
            List<ScoredChunk> out = new ArrayList<>();
            tasks.forEachRemaining(task -> out.add(new ScoredChunk(task.index(), evaluation.score(task.samples(), task.start(),
                    Evaluation.Listener.QUIET))));
            return out.iterator();
        }
    }
}
