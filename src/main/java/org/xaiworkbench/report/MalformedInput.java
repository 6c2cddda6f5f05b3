package org.xaiworkbench.report;

import java.nio.file.Path;

/** An input file that is there but is not what its command writes: its section is skipped with a one-line warning. */
final class MalformedInput extends Exception {
    private final Path file;
    private final String reason;

    MalformedInput(Path file, String reason) {
        super(file + " is malformed (" + reason + ")");
        this.file = file;
        this.reason = reason;
    }

    Path file() {
        return file;
    }

    String reason() {
        return reason;
    }
}
