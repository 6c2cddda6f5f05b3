package org.xaiworkbench.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python dictionary literal of a {@code .npy} header, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}:
 * strings, True/False, integers, tuples and lists, nothing else. Python's own {@code ast.literal_eval} is what numpy
 * uses; this accepts the subset numpy writes and names the first thing it does not understand.
 */
final class NpyHeaderLiteral {
    /** A tuple, as opposed to a list (a structured dtype's descr is a list). */
    record Tuple(List<Object> items) {
    }

    /** Deep enough for any shape or structured descr numpy writes; deeper nesting is refused before it can exhaust the stack. */
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int position;

    private NpyHeaderLiteral(String text) {
        this.text = text;
    }

    /** The dictionary's keys in order with their values (String, Boolean, Long, Tuple or List). */
    static Map<String, Object> parseDictionary(String text) {
        NpyHeaderLiteral parser = new NpyHeaderLiteral(text);
        parser.skipSpaces();
        Object value = parser.value(0);
        parser.skipSpaces();
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the header is not a dictionary");
        }
        if (parser.position < text.length()) {
            throw parser.unexpected("after the dictionary");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put((String) k, v));
        return result;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the header nests deeper than " + MAX_DEPTH + " levels");
        }
        if (position >= text.length()) {
            throw new IllegalArgumentException("the header ends in the middle of a value");
        }
        char c = text.charAt(position);
        if (c == '{') {
            return dictionary(depth);
        }
        if (c == '(' || c == '[') {
            List<Object> items = sequence(c == '(' ? ')' : ']', depth);
            return c == '(' ? new Tuple(items) : items;
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (c == '-' || Character.isDigit(c)) {
            return integer();
        }
        if (text.startsWith("True", position)) {
            position += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("False", position)) {
            position += 5;
            return Boolean.FALSE;
        }
        throw unexpected("where a value belongs");
    }

    private Map<Object, Object> dictionary(int depth) {
        Map<Object, Object> map = new LinkedHashMap<>();
        position++;
        skipSpaces();
        while (!consume('}')) {
            skipSpaces();
            Object key = value(depth + 1);
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("a header key is not a string");
            }
            skipSpaces();
            if (!consume(':')) {
                throw unexpected("after the key '" + OneLine.of(name) + "'");
            }
            skipSpaces();
            if (map.put(name, value(depth + 1)) != null) {
                throw new IllegalArgumentException("the header gives '" + OneLine.of(name) + "' twice");
            }
            skipSpaces();
            if (!consume(',')) {
                skipSpaces();
                if (!consume('}')) {
                    throw unexpected("in the dictionary");
                }
                break;
            }
            skipSpaces();
        }
        return map;
    }

    private List<Object> sequence(char close, int depth) {
        List<Object> items = new ArrayList<>();
        position++;
        skipSpaces();
        while (!consume(close)) {
            items.add(value(depth + 1));
            skipSpaces();
            if (!consume(',')) {
                if (!consume(close)) {
                    throw unexpected("in a " + (close == ')' ? "tuple" : "list"));
                }
                break;
            }
            skipSpaces();
        }
        return items;
    }

    private String string() {
        char quote = text.charAt(position++);
        int start = position;
        while (position < text.length() && text.charAt(position) != quote) {
            if (text.charAt(position) == '\\') {
                throw new IllegalArgumentException("the header has an escape sequence in a string, which numpy never writes");
            }
            position++;
        }
        if (position >= text.length()) {
            throw new IllegalArgumentException("a string in the header is not closed");
        }
        return text.substring(start, position++);
    }

    private Long integer() {
        int start = position;
        if (text.charAt(position) == '-') {
            position++;
        }
        while (position < text.length() && Character.isDigit(text.charAt(position))) {
            position++;
        }
        String digits = text.substring(start, position);
        // Python 2's numpy wrote dimensions as longs: (3L, 4L)
        if (position < text.length() && text.charAt(position) == 'L') {
            position++;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the header's number " + OneLine.of(digits) + " is not a 64-bit integer");
        }
    }

    private boolean consume(char c) {
        if (position < text.length() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (position < text.length() && (text.charAt(position) == ' ' || text.charAt(position) == '\n'
                || text.charAt(position) == '\t' || text.charAt(position) == '\r')) {
            position++;
        }
    }

    private IllegalArgumentException unexpected(String where) {
        if (position >= text.length()) {
            return new IllegalArgumentException("the header ends " + where);
        }
        return new IllegalArgumentException("the header has '" + OneLine.of(text.substring(position, Math.min(text.length(), position + 12)))
                + "' " + where + " (at character " + position + ")");
    }
}
