package org.xaiworkbench.model.io;

import org.xaiworkbench.model.ModelCard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.xaiworkbench.data.AtomicFiles;
import org.xaiworkbench.data.DataException;
import org.xaiworkbench.model.io.dl4j.Dl4jZipReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model on disk: a folder holding model.zip (DL4J) and model.json (its {@link ModelCard}). Written with
 * DL4J's ModelSerializer, read back with {@link Dl4jZipReader}, which never deserializes Java objects.
 */
public final class ModelStore {
    public static final String MODEL_FILE = "model.zip";
    public static final String CARD_FILE = "model.json";
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Loaded(MultiLayerNetwork network, ModelCard card) {
    }

    private ModelStore() {
    }

    public static void save(MultiLayerNetwork net, ModelCard card, Path dir, boolean withUpdater) throws IOException {
        AtomicFiles.write(dir.resolve(MODEL_FILE), temp -> ModelSerializer.writeModel(net, temp.toFile(), withUpdater));
        AtomicFiles.write(dir.resolve(CARD_FILE), temp -> JSON.writeValue(temp.toFile(), card));
    }

    public static Loaded load(Path dir, boolean withUpdater) throws IOException {
        Path model = dir.resolve(MODEL_FILE);
        Path card = dir.resolve(CARD_FILE);
        for (Path p : new Path[]{model, card}) {
            if (!Files.isRegularFile(p)) {
                throw new DataException(p + ": missing (train a model first, or pass a folder holding "
                        + MODEL_FILE + " and " + CARD_FILE + ")");
            }
        }
        if (!(Dl4jZipReader.read(model, withUpdater, System.err::println) instanceof MultiLayerNetwork net)) {
            throw new DataException(model + ": a ComputationGraph; " + CARD_FILE + " goes with the report's VGG13, a MultiLayerNetwork");
        }
        ModelCard parsed;
        try {
            parsed = JSON.readValue(card.toFile(), ModelCard.class);
        } catch (IOException e) {
            throw new DataException(card + ": not a valid model card (" + DataException.firstLine(e) + ")", e);
        }
        return new Loaded(net, parsed);
    }
}
