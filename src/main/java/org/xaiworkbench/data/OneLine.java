package org.xaiworkbench.data;

/** Text taken from a file (an entry name, part of a header), made fit to quote in a one-line error message. */
public final class OneLine {
    /** Long enough for any real name; a hostile one is cut so that the message stays readable. */
    private static final int MAX_CHARS = 80;

    private OneLine() {
    }

    /** {@code text} with control characters written as \\uXXXX and anything past {@value #MAX_CHARS} characters cut off. */
    public static String of(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > MAX_CHARS ? out + "..." : out.toString();
    }

    /** What went wrong in {@code cause}, in one line: the first line of its message, or its type where it has none (an EOFException). */
    public static String cause(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : of(DataException.firstLine(cause));
    }
}
