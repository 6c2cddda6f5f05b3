package org.xaiworkbench.report;

import java.util.List;

/**
 * One numbered section as the template draws it: a notice for every input not there yet, a warning
 * for every malformed or missing file, the files it was built from, and its content (null when
 * there is nothing to show).
 */
public record SectionView(String id, int number, String title, List<Notice> notRun, List<String> warnings,
                          List<String> sources, Object content) {
    public enum Status { BUILT, NOT_RUN, SKIPPED }

    public Status status() {
        if (content != null) {
            return Status.BUILT;
        }
        return warnings.isEmpty() ? Status.NOT_RUN : Status.SKIPPED;
    }

    /** The table of contents' note beside the title. */
    public String statusNote() {
        return switch (status()) {
            case BUILT -> warnings.isEmpty() && notRun.isEmpty() ? "" : "partly";
            case NOT_RUN -> "not run yet";
            case SKIPPED -> "skipped: malformed input";
        };
    }
}
