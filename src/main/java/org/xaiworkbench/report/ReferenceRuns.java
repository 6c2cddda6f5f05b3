package org.xaiworkbench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference training rows (a resource of this package): the report's published table, kept as printed ("75%" stays
 * "75%"), and the report's recipe run in PyTorch on this data, the figure a retrained model is held to.
 */
final class ReferenceRuns {
    private static final String RESOURCE = "reference-runs.csv";

    /** A published row: the run's L2 factor, its label and the nine values of the table. */
    record Row(double l2, String run, List<String> values) {
    }

    private static final List<Row> ROWS = load();

    private ReferenceRuns() {
    }

    /** The reference rows for a run trained with {@code l2}, in the table's order: the report's, then PyTorch's on this data. */
    static List<Row> forL2(double l2) {
        return ROWS.stream().filter(row -> Math.abs(row.l2() - l2) <= 1e-12).toList();
    }

    private static List<Row> load() {
        try (InputStream in = ReferenceRuns.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            List<Row> rows = new ArrayList<>();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
            for (String line : lines.subList(1, lines.size())) {
                // the run label is the only quoted field and holds a comma
                int open = line.indexOf('"');
                int close = line.indexOf('"', open + 1);
                String l2 = line.substring(0, open - 1);
                List<String> values = Arrays.asList(line.substring(close + 2).split(","));
                rows.add(new Row(Double.parseDouble(l2), line.substring(open + 1, close), List.copyOf(values)));
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
