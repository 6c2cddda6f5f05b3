package org.xaiworkbench.report;

/** An input that is not there yet, with the command that writes it ("make robustness") and the file that was looked for. */
public record Notice(String command, String missing) {
}
