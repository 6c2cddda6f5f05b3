package org.xaiworkbench.model.io.dl4j;

import org.xaiworkbench.data.Nd4jBinaryArrays;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xaiworkbench.data.DataException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A DL4J model zip (as {@code ModelSerializer.writeModel} writes it) read without Java deserialization: the network
 * is rebuilt from {@code configuration.json} and {@code coefficients.bin} (and {@code updaterState.bin} when
 * training is to continue). {@code ModelSerializer}'s reader would run {@code ObjectInputStream.readObject} on a
 * {@code preprocessor.bin} entry, building whatever objects the file describes; here that entry, the normalizer and
 * anything else are never read, only named in a warning.
 */
public final class Dl4jZipReader {
    public static final String CONFIGURATION = "configuration.json";
    public static final String COEFFICIENTS = "coefficients.bin";
    public static final String UPDATER_STATE = "updaterState.bin";
    public static final String NO_PARAMS = "noParams.marker";
    /** What the entries DL4J reads with ObjectInputStream (or may, for old normalizers) would have held. */
    private static final Map<String, String> OBJECT_ENTRIES = Map.of(
            "preprocessor.bin", "a serialized Java object, which is never deserialized",
            "normalizer.bin", "DL4J's normalizer, which may be a serialized Java object; give --mean and --std instead");
    /** A model zip holds at most five entries; more is not a DL4J model. */
    static final int MAX_ENTRIES = 64;
    /** Configurations of the largest zoo networks are a few hundred kilobytes. */
    static final long MAX_CONFIGURATION_BYTES = 16L << 20;

    private Dl4jZipReader() {
    }

    /**
     * The network (a MultiLayerNetwork or a ComputationGraph) in {@code zip}, with its updater state when
     * {@code withUpdater} and the zip holds one. Entries that are not read go to {@code warnings}, one line each.
     */
    public static Model read(Path zip, boolean withUpdater, Consumer<String> warnings) {
        if (!Files.isRegularFile(zip)) {
            throw new DataException(zip + ": no such file");
        }
        Map<String, byte[]> entries = new HashMap<>();
        boolean noParams = false;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.size() > MAX_ENTRIES) {
                throw new DataException(zip + ": holds " + file.size() + " entries, more than a DL4J model's " + MAX_ENTRIES);
            }
            for (Enumeration<? extends ZipEntry> all = file.entries(); all.hasMoreElements(); ) {
                ZipEntry entry = all.nextElement();
                String name = entry.getName();
                if (entries.containsKey(name) || name.equals(NO_PARAMS) && noParams) {
                    throw new DataException(zip + ": holds two entries named " + printable(name));
                }
                switch (name) {
                    case CONFIGURATION -> entries.put(name, bounded(file, entry, MAX_CONFIGURATION_BYTES, zip));
                    case COEFFICIENTS -> entries.put(name, bounded(file, entry, maxArrayBytes(), zip));
                    case UPDATER_STATE -> {
                        if (withUpdater) {
                            entries.put(name, bounded(file, entry, maxArrayBytes(), zip));
                        }
                    }
                    case NO_PARAMS -> noParams = true;
                    default -> warnings.accept("warning: " + zip + ": ignoring the entry " + printable(name) + " ("
                            + OBJECT_ENTRIES.getOrDefault(name, "not part of a DL4J model") + ")");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException known) {
                throw known;
            }
            throw new DataException(zip + ": neither a DL4J MultiLayerNetwork nor a ComputationGraph (not a readable zip: "
                    + printable(DataException.firstLine(e)) + ")", e);
        }
        byte[] json = entries.get(CONFIGURATION);
        if (json == null) {
            throw new DataException(zip + ": neither a DL4J MultiLayerNetwork nor a ComputationGraph (no " + CONFIGURATION + ")");
        }
        byte[] coefficients = entries.get(COEFFICIENTS);
        if (coefficients == null && !noParams) {
            throw new DataException(zip + ": a DL4J model without " + COEFFICIENTS);
        }
        String where = zip + ": " + CONFIGURATION;
        Dl4jConfigurationJson.Kind kind = Dl4jConfigurationJson.check(json, where);
        INDArray params = coefficients == null || coefficients.length == 0 ? null : wholeArray(coefficients, zip + ": " + COEFFICIENTS);
        byte[] updaterBytes = entries.get(UPDATER_STATE);
        INDArray updaterState = updaterBytes == null ? null : wholeArray(updaterBytes, zip + ": " + UPDATER_STATE);
        String text = new String(json, StandardCharsets.UTF_8);
        return kind == Dl4jConfigurationJson.Kind.MULTI_LAYER_NETWORK
                ? multiLayerNetwork(text, params, updaterState, zip)
                : computationGraph(text, params, updaterState, zip);
    }

    /** The one array an entry holds; bytes after it mean the header understates what was written. */
    private static INDArray wholeArray(byte[] bytes, String what) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        INDArray array = Nd4jBinaryArrays.read(in, what);
        if (in.hasRemaining()) {
            throw new DataException(what + ": " + in.remaining() + " bytes follow the array its header describes");
        }
        return array;
    }

    private static MultiLayerNetwork multiLayerNetwork(String json, INDArray params, INDArray updaterState, Path zip) {
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new DataException(zip + ": " + CONFIGURATION + ": not a DL4J MultiLayerNetwork configuration ("
                    + printable(DataException.firstLine(e)) + ")", e);
        }
        try {
            long needed = 0;
            for (NeuralNetConfiguration layer : conf.getConfs()) {
                needed = Math.addExact(needed, layer.getLayer().initializer().numParams(layer));
            }
            checkCount(params, needed, zip);
            MultiLayerNetwork network = new MultiLayerNetwork(conf);
            network.init(params == null ? null : params.reshape(1, params.length()), false);
            if (updaterState != null) {
                restoreUpdater(network.getUpdater(), network, updaterState, zip);
            }
            return network;
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataException(zip + ": DL4J cannot build the MultiLayerNetwork its configuration describes ("
                    + printable(DataException.firstLine(e)) + ")", e);
        }
    }

    private static ComputationGraph computationGraph(String json, INDArray params, INDArray updaterState, Path zip) {
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new DataException(zip + ": " + CONFIGURATION + ": not a DL4J ComputationGraph configuration ("
                    + printable(DataException.firstLine(e)) + ")", e);
        }
        try {
            long needed = 0;
            for (GraphVertex vertex : conf.getVertices().values()) {
                needed = Math.addExact(needed, vertex.numParams(true));
            }
            checkCount(params, needed, zip);
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init(params == null ? null : params.reshape(1, params.length()), false);
            if (updaterState != null) {
                checkUpdaterState(graph.getUpdater().getStateViewArray(), updaterState, zip);
                graph.getUpdater().setStateViewArray(updaterState.reshape(1, updaterState.length()));
            }
            return graph;
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataException(zip + ": DL4J cannot build the ComputationGraph its configuration describes ("
                    + printable(DataException.firstLine(e)) + ")", e);
        }
    }

    private static void checkCount(INDArray params, long needed, Path zip) {
        long held = params == null ? 0 : params.length();
        if (held != needed) {
            throw new DataException(zip + ": " + COEFFICIENTS + " holds " + held + " parameters, the configuration's layers need " + needed);
        }
    }

    private static void restoreUpdater(Updater updater, MultiLayerNetwork network, INDArray state, Path zip) {
        checkUpdaterState(updater.getStateViewArray(), state, zip);
        updater.setStateViewArray(network, state.reshape(1, state.length()), false);
    }

    private static void checkUpdaterState(INDArray expected, INDArray state, Path zip) {
        long needed = expected == null ? 0 : expected.length();
        if (state.length() != needed) {
            throw new DataException(zip + ": " + UPDATER_STATE + " holds " + state.length() + " values, the configuration's updater keeps " + needed);
        }
    }

    /**
     * The entry's bytes, at most {@code limit} of them: the size a zip declares can lie, so the bytes are counted
     * while inflating as well.
     */
    private static byte[] bounded(ZipFile file, ZipEntry entry, long limit, Path zip) throws IOException {
        String what = zip + ": " + entry.getName();
        if (entry.getSize() > limit) {
            throw new DataException(what + ": " + entry.getSize() + " bytes uncompressed, more than the limit of " + limit + tooBig(limit));
        }
        try (InputStream in = file.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw new DataException(what + ": more than " + limit + " bytes uncompressed" + tooBig(limit));
            }
            return bytes;
        }
    }

    private static String tooBig(long limit) {
        return limit == MAX_CONFIGURATION_BYTES ? "" : " (a quarter of the Java heap; raise -Xmx to read larger models)";
    }

    /** Arrays are held as bytes, as Java values and in ND4J's memory at once while a model is read. */
    private static long maxArrayBytes() {
        return Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Text from the file, as one printable line of bounded length. */
    static String printable(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
