package org.xaiworkbench.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON file read for the page: every value is asked for by name and a missing or mistyped one
 * becomes a {@link MalformedInput} naming the file and the value's path ("metrics.deletion.methods[2].mean").
 */
final class JsonInput {
    /** Jackson writes NaN as a bare token when asked to; the commands' files may hold one. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private JsonInput() {
    }

    /** The top-level object of {@code file}. */
    static Node read(Path file) throws IOException, MalformedInput {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new MalformedInput(file, oneLine(e));
        } catch (CharConversionException e) {
            throw new MalformedInput(file, "not text in a Unicode encoding (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedInput(file, "expected a JSON object");
        }
        return new Node(file, "", root);
    }

    /** Jackson's message without its source excerpt, which spans lines and repeats the file name. */
    private static String oneLine(JsonProcessingException e) {
        String message = e.getOriginalMessage().replaceAll("\\s+", " ").replaceAll(" ?\\(start marker at \\[Source.*", "").strip();
        JsonLocation at = e.getLocation();
        return at == null ? message : message + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** One value of the file and where it sits. */
    static final class Node {
        private final Path file;
        private final String path;
        private final JsonNode json;

        private Node(Path file, String path, JsonNode json) {
            this.file = file;
            this.path = path;
            this.json = json;
        }

        Node field(String name) throws MalformedInput {
            return optional(name).orElseThrow(() -> problem(child(name), "is missing"));
        }

        Optional<Node> optional(String name) {
            JsonNode value = json.get(name);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(new Node(file, child(name), value));
        }

        List<Node> elements() throws MalformedInput {
            if (!json.isArray()) {
                throw problem(path, "is not a list");
            }
            List<Node> elements = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                elements.add(new Node(file, path + "[" + i + "]", json.get(i)));
            }
            return elements;
        }

        /** The fields of an object, in the file's order. */
        Map<String, Node> fields() throws MalformedInput {
            if (!json.isObject()) {
                throw problem(path, "is not an object");
            }
            Map<String, Node> fields = new LinkedHashMap<>();
            json.fieldNames().forEachRemaining(name -> fields.put(name, new Node(file, child(name), json.get(name))));
            return fields;
        }

        String text() throws MalformedInput {
            if (!json.isTextual()) {
                throw problem(path, "is not text");
            }
            return json.asText();
        }

        /** A moment written in ISO 8601, as {@code Instant.toString} writes it. */
        java.time.Instant instant() throws MalformedInput {
            try {
                return java.time.Instant.parse(text());
            } catch (java.time.format.DateTimeParseException e) {
                throw problem(path, "is not a date and time (ISO 8601, e.g. 2026-12-07T11:30:00Z)");
            }
        }

        /** A number; "NaN" and "Infinity" as text count too, as Jackson may write them so. */
        double number() throws MalformedInput {
            if (json.isNumber()) {
                return json.asDouble();
            }
            if (json.isTextual() && json.asText().matches("-?(NaN|Infinity)")) {
                return Double.parseDouble(json.asText());
            }
            throw problem(path, "is not a number");
        }

        long integer() throws MalformedInput {
            if (!json.canConvertToExactIntegral() || !json.isNumber()) {
                throw problem(path, "is not a whole number");
            }
            return json.asLong();
        }

        double[] numbers() throws MalformedInput {
            List<Node> elements = elements();
            double[] values = new double[elements.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = elements.get(i).number();
            }
            return values;
        }

        List<String> texts() throws MalformedInput {
            List<String> values = new ArrayList<>();
            for (Node element : elements()) {
                values.add(element.text());
            }
            return values;
        }

        /** A problem with this value, named by its path, for checks the caller makes itself. */
        MalformedInput problem(String reason) {
            return problem(path, reason);
        }

        private MalformedInput problem(String at, String reason) {
            return new MalformedInput(file, "'" + at + "' " + reason);
        }

        private String child(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }
    }
}
