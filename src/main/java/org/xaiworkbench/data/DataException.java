package org.xaiworkbench.data;

/** A data file that cannot be used; the message names the file and what is wrong with it. */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a cause's message, for a one-line error (parsers append the location on more lines). */
    public static String firstLine(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
