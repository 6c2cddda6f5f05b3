package org.xaiworkbench.scale;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
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
 * A run's chunks of images worked on Apache Spark: each task loads the model once from the broadcast bytes of its
 * files, builds the run's methods and metrics from the plan and does its chunks' work with the code a single JVM
 * runs (scoring them, {@link #SCORE}, or explaining them, {@link DatasetMaps#EXPLAIN}). Every draw is seeded by
 * image (and metric), so a chunk's result does not depend on the executor, the partitioning or a retried attempt;
 * the driver takes the results as one JVM takes its own.
 */
public final class SparkChunks {
    /** Chunks a task works per wave: enough to spread the model's loading, few enough that a kill loses little. */
    static final int CHUNKS_PER_TASK = 2;

    /** What a task does with one chunk: the images {@code start..start+samples.size()-1} of the run. */
    public interface Work<R extends Serializable> extends Serializable {
        R apply(EvaluationPlan.Built built, List<Sample> samples, int start);
    }

    /** Scoring a chunk, as one JVM's evaluation does. */
    public static final Work<org.xaiworkbench.evaluate.Evaluation.Chunk> SCORE = (built, samples, start) ->
            built.evaluation().score(samples, start, org.xaiworkbench.evaluate.Evaluation.Listener.QUIET);

    private final JavaSparkContext spark;
    private final int partitions;

    /**
     * @param partitions tasks per wave; 0 for the context's default parallelism
     */
    public SparkChunks(JavaSparkContext spark, int partitions) {
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
    public static JavaSparkContext start(String master, String appName) {
        SparkConf conf = new SparkConf().setAppName("xai-workbench " + appName).set("spark.ui.enabled", "false")
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

    /**
     * Refuses a --spark value that names no Spark master, before a run reads or writes anything (Spark itself
     * would only say so when its context starts, in an exception of its own).
     */
    public static void checkMaster(String master) {
        boolean known = master.equals("submit") || master.matches("local(\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?])?")
                || master.matches("(spark|k8s|mesos)://\\S+") || master.equals("yarn");
        if (!known) {
            throw new IllegalArgumentException("--spark " + master + ": not a Spark master; expected local[N], spark://host:port, yarn, "
                    + "k8s://..., or submit");
        }
    }

    public int partitions() {
        return partitions;
    }

    /** One chunk of a run as a task receives it: its index, its first image's position in the run, its images. */
    record ChunkTask(int index, int start, List<Sample> samples) implements Serializable {
    }

    /** A chunk's result on its way back to the driver. */
    record Done<R>(int index, R result) implements Serializable {
    }

    /**
     * Works the chunks {@code todo} (indices into the run's chunks of {@code chunk} images each) in waves of
     * {@link #CHUNKS_PER_TASK} chunks per task, handing each wave's results to {@code done} as the wave ends.
     */
    public <R extends Serializable> void run(ModelBundle model, EvaluationPlan plan, List<Sample> samples, int chunk, List<Integer> todo,
                                             Work<R> work, BiConsumer<Integer, R> done) {
        run(model, plan, samples, chunk, todo, work, done, task -> task);
    }

    /** As the public {@code run}, each task running what {@code taskBody} makes of it (a test injects failures). */
    <R extends Serializable> void run(ModelBundle model, EvaluationPlan plan, List<Sample> samples, int chunk, List<Integer> todo,
                                      Work<R> work, BiConsumer<Integer, R> done,
                                      Function<ChunkTasks<R>, FlatMapFunction<Iterator<ChunkTask>, Done<R>>> taskBody) {
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
                List<Done<R>> results = spark.parallelize(tasks, Math.min(partitions, tasks.size()))
                        .mapPartitions(taskBody.apply(new ChunkTasks<>(bundle, broadcastPlan, work))).collect();
                Map<Integer, R> byIndex = new HashMap<>();
                results.forEach(d -> byIndex.put(d.index(), d.result()));
                for (ChunkTask task : tasks) {
                    done.accept(task.index(), byIndex.get(task.index()));
                }
            }
        } finally {
            bundle.destroy();
            broadcastPlan.destroy();
        }
    }

    /** What a task runs: the model loaded once, then its chunks worked in order. */
    static final class ChunkTasks<R extends Serializable> implements FlatMapFunction<Iterator<ChunkTask>, Done<R>> {
        private final Broadcast<ModelBundle> model;
        private final Broadcast<EvaluationPlan> plan;
        private final Work<R> work;

        ChunkTasks(Broadcast<ModelBundle> model, Broadcast<EvaluationPlan> plan, Work<R> work) {
            this.model = model;
            this.plan = plan;
            this.work = work;
        }

        @Override
        public Iterator<Done<R>> call(Iterator<ChunkTask> tasks) {
            if (!tasks.hasNext()) {
                return List.<Done<R>>of().iterator();
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
            EvaluationPlan.Built built = plan.value().build(classifier);
            List<Done<R>> out = new ArrayList<>();
            tasks.forEachRemaining(task -> out.add(new Done<>(task.index(), work.apply(built, task.samples(), task.start()))));
            return out.iterator();
        }
    }
}
