package org.xaiworkbench.model.io.onnx;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.data.MemoryUse;
import org.xaiworkbench.model.ImageClassifier;
import org.xaiworkbench.model.io.ModelFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutations of the committed small ONNX export (truncations, bit flips, dimensions that lie
 * about the data, huge or negative dimensions, huge windows and paddings, wrong data types): each
 * must end in a one-line refusal or a load whose forward pass on one picture works or is refused in
 * one line, within a time and a memory budget. Prints how each case ended.
 */
class OnnxFuzzTest {
    private static final long SEED = 22;
    private static final int CASES_PER_MUTATION = 16;
    private static final long SECONDS_PER_CASE = 20;
    /** Heap, and resident memory outside the heap, that a case may take above what the JVM held before it. */
    private static final long MEMORY_BUDGET = 1L << 30;
    private static final long[] HOSTILE_SIDES = {0, -1, -(1L << 40), 60_000, 65_537, 1_000_000, 1L << 31, 1L << 40, Long.MAX_VALUE};

    @TempDir
    Path dir;

    private enum Mutation {
        TRUNCATE, FLIP_BITS, DIMENSION_LIE, DATA_LENGTH, HOSTILE_DIMENSION, INPUT_SHAPE, WINDOW, GROUPS, PAD_CONSTANT, DATA_TYPE,
        INPUT_TYPE, REWIRING
    }

    private enum Outcome { REFUSED_AT_LOAD, RAN, REFUSED_AT_FORWARD }

    @Test
    void everyMutationEndsInOneLineOrARunWithinTimeAndMemory() throws Exception {
        byte[] original = Files.readAllBytes(OnnxImportTest.fixture("small_cnn.onnx"));
        ModelProto model = ModelProto.parseFrom(original);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long largest = 0;
        MemoryWatch watch = new MemoryWatch();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            // The first forward pass maps ND4J's native libraries and pools into the process; that
            // one-time cost is not the mutation's, so it is paid before any case is measured.
            assertEquals(Outcome.RAN, worker.submit(() -> loadAndRun(OnnxImportTest.fixture("small_cnn.onnx"))).get());
            int index = 0;
            for (Mutation mutation : Mutation.values()) {
                for (int k = 0; k < CASES_PER_MUTATION; k++, index++) {
                    Random random = new Random(SEED * 1_000 + index);
                    Path file = dir.resolve(index + "-" + mutation + ".onnx");
                    Files.write(file, mutate(mutation, original, model, random));
                    String label = index + " " + mutation;
                    watch.start();
                    Future<Outcome> run = worker.submit(() -> loadAndRun(file));
                    try {
                        Outcome outcome = run.get(SECONDS_PER_CASE, TimeUnit.SECONDS);
                        outcomes.merge(mutation + " " + outcome, 1, Integer::sum);
                        outcomes.merge("all " + outcome, 1, Integer::sum);
                    } catch (TimeoutException e) {
                        failures.add(label + ": no end within " + SECONDS_PER_CASE + " s");
                        worker.shutdownNow();
                        worker = Executors.newSingleThreadExecutor();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(label + ": " + e.getCause());
                    }
                    long used = watch.stop();
                    largest = Math.max(largest, used);
                    if (used > MEMORY_BUDGET) {
                        failures.add(label + ": took " + used / (1 << 20) + " MB");
                    }
                }
            }
            System.out.println("OnnxFuzzTest: " + index + " cases, at most " + largest / (1 << 20) + " MB more heap or resident memory each");
            outcomes.forEach((outcome, count) -> System.out.printf("  %-40s %d%n", outcome, count));
            failures.forEach(failure -> System.out.println("  FAILED " + failure));
            assertEquals(List.of(), failures);
            assertEquals(index, outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("all ")).mapToInt(Map.Entry::getValue).sum());
        } finally {
            worker.shutdownNow();
            watch.close();
        }
    }

    /** A one-line DataException or IllegalArgumentException is a refusal; anything else is thrown on. */
    private static Outcome loadAndRun(Path file) throws Exception {
        ImageClassifier classifier;
        try {
            classifier = ModelFiles.load(file).classifier();
        } catch (DataException | IllegalArgumentException e) {
            assertOneLine(e);
            return Outcome.REFUSED_AT_LOAD;
        }
        int[] shape = classifier.inputShape();
        try {
            classifier.logits(Nd4j.rand(DataType.FLOAT, 1, shape[0], shape[1], shape[2]));
            return Outcome.RAN;
        } catch (DataException | IllegalArgumentException e) {
            assertOneLine(e);
            return Outcome.REFUSED_AT_FORWARD;
        }
    }

    private static void assertOneLine(RuntimeException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank() || message.contains("\n")) {
            throw new IllegalStateException("not one line: " + e.getClass().getSimpleName() + ": " + message, e);
        }
    }

    private static byte[] mutate(Mutation mutation, byte[] original, ModelProto model, Random random) {
        ModelProto.Builder builder = model.toBuilder();
        GraphProto.Builder graph = builder.getGraphBuilder();
        switch (mutation) {
            case TRUNCATE -> {
                return java.util.Arrays.copyOf(original, random.nextInt(original.length));
            }
            case FLIP_BITS -> {
                byte[] bytes = original.clone();
                for (int flips = 1 + random.nextInt(16); flips > 0; flips--) {
                    int bit = random.nextInt(bytes.length * 8);
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return bytes;
            }
            case DIMENSION_LIE -> {
                TensorProto.Builder tensor = graph.getInitializerBuilder(random.nextInt(graph.getInitializerCount()));
                int axis = random.nextInt(tensor.getDimsCount());
                tensor.setDims(axis, random.nextBoolean() ? tensor.getDims(axis) * 2 : Math.max(1, tensor.getDims(axis) - 1));
            }
            case DATA_LENGTH -> {
                TensorProto.Builder tensor = graph.getInitializerBuilder(random.nextInt(graph.getInitializerCount()));
                byte[] raw = tensor.getRawData().toByteArray();
                tensor.setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(java.util.Arrays.copyOf(raw,
                        Math.max(0, raw.length + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(8))))));
            }
            case HOSTILE_DIMENSION -> {
                TensorProto.Builder tensor = graph.getInitializerBuilder(random.nextInt(graph.getInitializerCount()));
                tensor.setDims(random.nextInt(tensor.getDimsCount()), hostileSide(random));
            }
            case INPUT_SHAPE -> {
                TensorShapeProto.Builder shape = graph.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
                shape.getDimBuilder(1 + random.nextInt(3)).setDimValue(random.nextBoolean() ? hostileSide(random) : 100_000);
            }
            case WINDOW -> {
                List<Integer> windowed = new ArrayList<>();
                for (int i = 0; i < graph.getNodeCount(); i++) {
                    if (List.of("Conv", "MaxPool", "AveragePool").contains(graph.getNode(i).getOpType())) {
                        windowed.add(i);
                    }
                }
                NodeProto.Builder node = graph.getNodeBuilder(windowed.get(random.nextInt(windowed.size())));
                String name = List.of("pads", "kernel_shape", "strides", "dilations").get(random.nextInt(4));
                long side = hostileSide(random);
                AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
                for (int i = 0; i < (name.equals("pads") ? 4 : 2); i++) {
                    attribute.addInts(random.nextBoolean() ? side : 1);
                }
                replaceAttribute(node, name);
                node.addAttribute(attribute);
            }
            case GROUPS -> {
                for (NodeProto.Builder node : graph.getNodeBuilderList()) {
                    if (node.getOpType().equals("Conv") && random.nextBoolean()) {
                        replaceAttribute(node, "group");
                        node.addAttribute(AttributeProto.newBuilder().setName("group").setType(AttributeProto.AttributeType.INT)
                                .setI(random.nextBoolean() ? hostileSide(random) : 2 + random.nextInt(16)));
                    }
                }
            }
            case REWIRING -> {
                NodeProto.Builder node = graph.getNodeBuilder(random.nextInt(graph.getNodeCount()));
                NodeProto source = graph.getNode(random.nextInt(graph.getNodeCount()));
                if (node.getInputCount() > 0) {
                    node.setInput(random.nextInt(node.getInputCount()), source.getOutput(0));
                } else {
                    node.addInput(source.getOutput(0));
                }
            }
            case PAD_CONSTANT -> {
                for (NodeProto.Builder node : graph.getNodeBuilderList()) {
                    if (node.getOpType().equals("Constant")) {
                        TensorProto.Builder value = node.getAttributeBuilder(0).getTBuilder();
                        java.nio.ByteBuffer raw = java.nio.ByteBuffer.wrap(value.getRawData().toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                        int entry = random.nextInt(raw.capacity() / Long.BYTES);
                        raw.putLong(entry * Long.BYTES, hostileSide(random));
                        value.setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(raw.array()));
                    }
                }
            }
            case DATA_TYPE -> graph.getInitializerBuilder(random.nextInt(graph.getInitializerCount())).setDataType(hostileType(random));
            case INPUT_TYPE -> graph.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().setElemType(hostileType(random));
        }
        return builder.build().toByteArray();
    }

    private static void replaceAttribute(NodeProto.Builder node, String name) {
        for (int i = node.getAttributeCount() - 1; i >= 0; i--) {
            if (node.getAttribute(i).getName().equals(name)) {
                node.removeAttribute(i);
            }
        }
    }

    private static long hostileSide(Random random) {
        return HOSTILE_SIDES[random.nextInt(HOSTILE_SIDES.length)];
    }

    private static int hostileType(Random random) {
        int[] types = {TensorProto.DataType.INT64_VALUE, TensorProto.DataType.INT32_VALUE, TensorProto.DataType.STRING_VALUE,
                TensorProto.DataType.BOOL_VALUE, TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.DOUBLE_VALUE,
                TensorProto.DataType.COMPLEX64_VALUE, 0, 999};
        return types[random.nextInt(types.length)];
    }

    /**
     * The most Java heap in use above a case's start, and the most resident memory gained (ND4J's
     * native arrays included, which JavaCPP does not count) less committed heap gained (see
     * {@link MemoryUse}), sampled while the case runs.
     */
    private static final class MemoryWatch implements AutoCloseable {
        private final AtomicLong heapAtStart = new AtomicLong();
        private volatile MemoryUse.Resident residentAtStart = MemoryUse.Resident.now();
        private final AtomicLong heapPeak = new AtomicLong();
        private final AtomicLong residentPeak = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        MemoryWatch() {
            sampler = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fuzz-memory-watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        private static long heap() {
            Runtime runtime = Runtime.getRuntime();
            return runtime.totalMemory() - runtime.freeMemory();
        }

        private void sample() {
            heapPeak.accumulateAndGet(heap(), Math::max);
            residentPeak.accumulateAndGet(MemoryUse.Resident.now().riseOutsideHeapSince(residentAtStart), Math::max);
        }

        void start() {
            System.gc();
            heapAtStart.set(heap());
            residentAtStart = MemoryUse.Resident.now();
            heapPeak.set(heapAtStart.get());
            residentPeak.set(0);
        }

        /** The larger of the two rises since {@link #start}. */
        long stop() {
            sample();
            return Math.max(heapPeak.get() - heapAtStart.get(), residentPeak.get());
        }

        @Override
        public void close() {
            running = false;
            sampler.interrupt();
        }
    }

    @Test
    void theUnmutatedExportLoadsAndRuns() throws Exception {
        assertTrue(loadAndRun(OnnxImportTest.fixture("small_cnn.onnx")) == Outcome.RAN);
    }
}
