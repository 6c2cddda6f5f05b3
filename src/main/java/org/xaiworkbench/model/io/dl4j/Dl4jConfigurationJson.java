package org.xaiworkbench.model.io.dl4j;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.xaiworkbench.data.DataException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A DL4J configuration (configuration.json) checked before DL4J's own JSON reader sees it. DL4J's reader creates
 * whatever class an {@code "@class"} field names (within the declared type) and its shaded Jackson has no nesting
 * limit; here the JSON is parsed with limits first, and every named class must belong to DL4J or ND4J.
 */
final class Dl4jConfigurationJson {
    /** DL4J configurations nest about ten levels deep; far deeper input only serves to exhaust the stack. */
    static final int MAX_DEPTH = 100;
    private static final Pattern DL4J_CLASS = Pattern.compile("(org\\.deeplearning4j|org\\.nd4j)(\\.[A-Za-z_$][A-Za-z0-9_$]*)+");
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(1 << 20).build())
            .build()).build();

    enum Kind { MULTI_LAYER_NETWORK, COMPUTATION_GRAPH }

    private Dl4jConfigurationJson() {
    }

    /** Which network the configuration describes; {@code what} names the file and entry. */
    static Kind check(byte[] json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DataException(what + ": not valid JSON (" + shortened(DataException.firstLine(e)) + ")", e);
        } catch (IOException e) {
            throw new DataException(what + ": not readable (" + DataException.firstLine(e) + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new DataException(what + ": not a JSON object");
        }
        checkClassNames(root, what);
        if (root.has("confs")) {
            return Kind.MULTI_LAYER_NETWORK;
        }
        if (root.has("vertices")) {
            return Kind.COMPUTATION_GRAPH;
        }
        throw new DataException(what + ": neither a MultiLayerNetwork's configuration (\"confs\") nor a ComputationGraph's (\"vertices\")");
    }

    private static void checkClassNames(JsonNode root, String what) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getKey().equals("@class") && !(field.getValue().isTextual()
                            && DL4J_CLASS.matcher(field.getValue().textValue()).matches())) {
                        throw new DataException(what + ": names the class " + shortened(field.getValue().toString())
                                + ", which is not part of DL4J or ND4J");
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
    }

    private static String shortened(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 120 ? printable : printable.substring(0, 120) + "...";
    }
}
