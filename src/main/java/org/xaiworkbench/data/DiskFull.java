package org.xaiworkbench.data;

import java.io.IOException;
import java.util.Locale;

/**
 * Recognises a full disk (ENOSPC) or an exhausted quota (EDQUOT) in an I/O error. Java reports both only
 * through the system's message, and libraries such as ImageIO wrap it in their own ("I/O error writing
 * PNG file!"), so the whole cause chain is searched.
 */
final class DiskFull {
    private static final String[] REASONS = {"no space left on device", "disk quota exceeded"};

    private DiskFull() {
    }

    /** "no space left on device" or "disk quota exceeded" when {@code error} comes from either, else null. */
    static String reason(IOException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            for (String reason : REASONS) {
                if (message.contains(reason)) {
                    return reason;
                }
            }
        }
        return null;
    }
}
