package org.xaiworkbench.scale;

import org.nd4j.linalg.api.buffer.DataType;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.data.NpyFiles;
import org.xaiworkbench.evaluate.EvaluationPlan;
import org.xaiworkbench.evaluate.ImageNames;
import org.xaiworkbench.evaluate.MethodSuite;
import org.xaiworkbench.evaluate.Sample;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attribution maps of a whole data set or picture folder, a chunk of images at a time, on one JVM or on Spark
 * ({@link SparkChunks} with {@link #EXPLAIN}): each chunk's maps are written as {@code .npy} files into the run's
 * keeping folder and the chunk is marked done, so a killed run goes on from the chunks it finished.
 */
public final class DatasetMaps {
    private static final String MAPS = "maps";

    /** One chunk's maps: per method, per image its values, as the float32 the methods computed them in. */
    public record ChunkMaps(Map<String, float[][]> maps) implements Serializable {
    }

    /** Explaining a chunk with every method of the plan, as a task or one JVM does it. */
    public static final SparkChunks.Work<ChunkMaps> EXPLAIN = (built, samples, start) -> explain(built.suite(), samples);

    private DatasetMaps() {
    }

    /** Every method's maps of {@code samples}, each for the sample's target class. */
    public static ChunkMaps explain(MethodSuite suite, List<Sample> samples) {
        List<double[]> images = samples.stream().map(Sample::pixels).toList();
        int[] targets = samples.stream().mapToInt(Sample::target).toArray();
        Map<String, float[][]> maps = new LinkedHashMap<>();
        for (String id : suite.ids()) {
            double[][] explained = suite.explain(id, suite.classifier(), images, samples.get(0), targets);
            float[][] values = new float[explained.length][];
            for (int i = 0; i < explained.length; i++) {
                values[i] = new float[explained[i].length];
                for (int k = 0; k < values[i].length; k++) {
                    values[i][k] = (float) explained[i][k];
                }
            }
            maps.put(id, values);
        }
        return new ChunkMaps(maps);
    }

    /** Where the run's maps go until it ends: {@code maps/<method>/<image>.npy} in the keeping folder. */
    public static Path mapsFolder(Path keeping) {
        return keeping.resolve(MAPS);
    }

    /** Whether chunk {@code index} was finished by this run or the killed one it resumes. */
    public static boolean done(Path keeping, int index) {
        return Files.isRegularFile(marker(keeping, index));
    }

    /**
     * Writes a chunk's maps, each shaped [1, C, H, W] (or [1, 1, H, W] for a map per pixel) as {@code evaluate --npy}
     * writes them, then marks the chunk done: a chunk killed midway is written again whole.
     */
    public static void save(Path keeping, int index, List<Sample> samples, ImageNames names, ChunkMaps chunk) throws IOException {
        for (Map.Entry<String, float[][]> method : chunk.maps().entrySet()) {
            for (int i = 0; i < samples.size(); i++) {
                Sample sample = samples.get(i);
                float[] map = method.getValue()[i];
                long[] shape = map.length == sample.pixelCount() ? new long[]{1, 1, sample.height(), sample.width()}
                        : new long[]{1, sample.channels(), sample.height(), sample.width()};
                NpyFiles.write(mapsFolder(keeping).resolve(method.getKey()).resolve(names.name(sample) + ".npy"),
                        HostValues.array(toDoubles(map), shape, DataType.FLOAT));
            }
        }
        Files.writeString(marker(keeping, index), "");
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static Path marker(Path keeping, int index) {
        return keeping.resolve(String.format(Locale.ROOT, "maps-%06d.done", index));
    }

    /** The plan of a maps run: its methods and their options only, no metrics and no control maps. */
    public static EvaluationPlan plan(List<String> methods, List<String> methodAssignments, EvaluationPlan.Background background) {
        return new EvaluationPlan(methods, methodAssignments, false, List.of(), List.of(),
                org.xaiworkbench.evaluate.EvaluationConfig.defaults(), background);
    }
}
