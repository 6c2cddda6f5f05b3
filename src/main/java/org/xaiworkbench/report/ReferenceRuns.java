package org.xaiworkbench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The report's published training table (a resource of this package), kept as printed: "75%" stays "75%". */
final class ReferenceRuns {
    private static final String RESOURCE = "reference-runs.csv";

    /** A published row: the run's L2 factor, its label and the nine values of the table. */
    record Row(double l2, String run, List<String> values) {
    }

    private static final List<Row> ROWS = load();

    private ReferenceRuns() {
    }

    /** The report's row for a run trained with {@code l2}, if the report has one. */
    static Optional<Row> forL2(double l2) {
        return ROWS.stream().filter(row -> Math.abs(row.l2() - l2) <= 1e-12).findFirst();
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
