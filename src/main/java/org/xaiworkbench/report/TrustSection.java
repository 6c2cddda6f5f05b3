package org.xaiworkbench.report;

import org.xaiworkbench.data.OutputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Section 4: the evaluation's ranking of every method and control map on every metric, with which way
 * is better and the bootstrap intervals, its curves and sanity checks, the comparison study and the verdict.
 */
final class TrustSection {
    static final String ID = "trust";
    static final String TITLE = "Which explanation to trust";
    static final String COMMAND = "make evaluate";
    static final String SUMMARY_FILE = OutputFiles.EVALUATION_SUMMARY;
    /** The evaluation names its control maps control-random, control-edges, control-centre. */
    private static final String CONTROL_PREFIX = "control-";
    /** The metric the tables' rows are sorted by when the run has it: the verdict's first faithfulness headline. */
    private static final String HEADLINE = "insertion-minus-deletion";
    /** Metrics per ranking table: 13 side by side squeeze each column below its own name on a laptop screen. */
    private static final int METRICS_PER_TABLE = 7;

    /** @param verdict the generated verdict, one sentence per item */
    record View(String weights, String images, List<String> verdict, List<Ranking> rankingTables, List<Figure> curves,
                List<Figure> sanity, List<Figure> rankings, List<Figure> study) {
    }

    /** One ranking table: a share of the metrics, every method a row, rows in the order {@code sortedBy} gives, better first. */
    record Ranking(List<Column> columns, List<MethodRow> rows, String sortedBy) {
    }

    /**
     * One metric: {@code better} says which way is better ("↑ higher is better"), {@code order}
     * (higher, lower, none) tells the page's sort which end comes first, and {@code ariaSort} is
     * "descending" or "ascending" on the column the rows are sorted by, empty elsewhere.
     */
    record Column(String metric, String better, String description, String images, String order, String ariaSort) {
        Column sorted(boolean by) {
            return new Column(metric, better, description, images, order, by ? (order.equals("lower") ? "ascending" : "descending") : "");
        }
    }

    record MethodRow(String method, boolean control, List<Cell> cells) {
    }

    /** {@code sortKey} is the mean as a plain number for the page's sort; {@code best} marks rank 1 where it separates from the rest. */
    record Cell(String mean, String interval, String rank, String sortKey, boolean best) {
    }

    private TrustSection() {
    }

    static void fill(SectionDraft section, Path evaluateDir, PageFiles files) throws IOException {
        Path summaryFile = evaluateDir.resolve(SUMMARY_FILE);
        if (!Files.isRegularFile(summaryFile)) {
            section.notRun(COMMAND, summaryFile);
            return;
        }
        View view;
        try {
            view = read(JsonInput.read(summaryFile), evaluateDir, files, section);
        } catch (MalformedInput e) {
            section.skipped(e, "section");
            return;
        }
        java.util.Optional<java.time.Instant> finished = finished(summaryFile);
        if (finished.isPresent()) {
            section.source(summaryFile, finished.get());
        } else {
            section.source(summaryFile);
        }
        section.content(view);
    }

    /** When the evaluation finished, as summary.json records it; empty where it does not, or not readably. */
    private static java.util.Optional<java.time.Instant> finished(Path summaryFile) throws IOException {
        try {
            java.util.Optional<JsonInput.Node> field = JsonInput.read(summaryFile).optional("finished");
            return field.isPresent() ? java.util.Optional.of(java.time.Instant.parse(field.get().text())) : java.util.Optional.empty();
        } catch (MalformedInput | java.time.format.DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    private static View read(JsonInput.Node summary, Path evaluateDir, PageFiles files, SectionDraft section)
            throws MalformedInput, IOException {
        Map<String, JsonInput.Node> metrics = summary.field("metrics").fields();
        if (metrics.isEmpty()) {
            throw summary.field("metrics").problem("lists no metric");
        }
        Set<String> methods = new LinkedHashSet<>();
        if (summary.optional("methods").isPresent()) {
            methods.addAll(summary.field("methods").texts());
        }
        List<Column> columns = new ArrayList<>();
        Map<String, Map<String, Cell>> cellsByMethod = new LinkedHashMap<>();
        Map<String, Map<String, Double>> meansByMetric = new LinkedHashMap<>();
        for (Map.Entry<String, JsonInput.Node> entry : metrics.entrySet()) {
            JsonInput.Node metric = entry.getValue();
            String direction = metric.field("direction").text().toLowerCase(Locale.ROOT);
            if (!List.of("higher", "lower", "descriptor").contains(direction)) {
                throw metric.field("direction").problem("is '" + direction + "', expected higher, lower or descriptor");
            }
            String order = direction.equals("descriptor") ? "none" : direction;
            columns.add(new Column(entry.getKey(), metric.field("better").text(), metric.field("description").text(),
                    Formats.count(metric.field("images").integer()), order, ""));
            List<JsonInput.Node> rows = metric.field("methods").elements();
            List<Double> values = new ArrayList<>();
            long worstRank = 0;
            for (JsonInput.Node row : rows) {
                values.add(row.field("mean").number());
                values.addAll(java.util.Arrays.stream(row.field("ci95").numbers()).boxed().toList());
                worstRank = Math.max(worstRank, row.field("rank").integer());
            }
            java.util.function.DoubleFunction<String> format = Formats.metricColumn(values.stream().mapToDouble(Double::doubleValue).toArray());
            for (JsonInput.Node row : rows) {
                String method = row.field("method").text();
                double mean = row.field("mean").number();
                double[] interval = row.field("ci95").numbers();
                if (interval.length != 2) {
                    throw row.field("ci95").problem("has " + interval.length + " values, expected low and high");
                }
                long rank = row.field("rank").integer();
                methods.add(method);
                meansByMetric.computeIfAbsent(entry.getKey(), k -> new LinkedHashMap<>()).put(method, mean);
                // rank 1 is shaded only where some method ranks below it: when every interval overlaps, nothing stands out
                cellsByMethod.computeIfAbsent(method, m -> new LinkedHashMap<>()).put(entry.getKey(), new Cell(format.apply(mean),
                        "[" + format.apply(interval[0]) + ", " + format.apply(interval[1]) + "]", rank == 0 ? "" : "#" + rank,
                        Double.isFinite(mean) ? String.valueOf(mean) : "", rank == 1 && worstRank > 1));
            }
        }
        Column headline = columns.stream().filter(c -> c.metric().equals(HEADLINE)).findFirst()
                .or(() -> columns.stream().filter(c -> !c.order().equals("none")).findFirst()).orElse(null);
        List<String> ordered = new ArrayList<>(methods);
        if (headline != null) {
            Map<String, Double> means = meansByMetric.getOrDefault(headline.metric(), Map.of());
            java.util.Comparator<String> better = java.util.Comparator.comparingDouble(m -> means.getOrDefault(m, Double.NaN));
            if (!headline.order().equals("lower")) {
                better = better.reversed();
            }
            // methods without a value for the headline go last, in their listed order
            ordered.sort(java.util.Comparator.comparing((String m) -> !Double.isFinite(means.getOrDefault(m, Double.NaN)))
                    .thenComparing(better));
        }
        List<Ranking> tables = new ArrayList<>();
        int tableCount = (columns.size() + METRICS_PER_TABLE - 1) / METRICS_PER_TABLE;
        int perTable = (columns.size() + tableCount - 1) / tableCount;
        Cell absent = new Cell("–", "", "", "", false);
        for (int from = 0; from < columns.size(); from += perTable) {
            List<Column> share = columns.subList(from, Math.min(columns.size(), from + perTable)).stream()
                    .map(c -> c.sorted(c == headline)).toList();
            List<MethodRow> rows = new ArrayList<>();
            for (String method : ordered) {
                Map<String, Cell> cells = cellsByMethod.getOrDefault(method, Map.of());
                rows.add(new MethodRow(method, method.startsWith(CONTROL_PREFIX),
                        share.stream().map(column -> cells.getOrDefault(column.metric(), absent)).toList()));
            }
            tables.add(new Ranking(share, rows, headline == null ? "" : headline.metric()));
        }
        List<Figure> curves = new ArrayList<>();
        for (String curve : List.of("deletion", "insertion")) {
            if (metrics.containsKey(curve)) {
                curves.add(files.figure(evaluateDir.resolve(OutputFiles.curvesFigure(curve)), curve + " curves, mean over images", section,
                        COMMAND));
            }
        }
        List<Figure> sanity = new ArrayList<>();
        if (metrics.containsKey("model-randomization")) {
            sanity.add(files.figure(evaluateDir.resolve(OutputFiles.sanityFigure("randomization-spearman")),
                    "cascading model randomization: Spearman with the trained model's map", section, COMMAND));
            sanity.add(files.figure(evaluateDir.resolve(OutputFiles.sanityFigure("randomization-ssim")),
                    "cascading model randomization: SSIM with the trained model's map", section, COMMAND));
        }
        List<Figure> rankings = new ArrayList<>();
        for (Column column : columns) {
            if (!column.order().equals("none")) {
                rankings.add(files.figure(evaluateDir.resolve(OutputFiles.rankingFigure(column.metric())),
                        column.metric() + " (" + column.better() + ")", section, COMMAND));
            }
        }
        String weights = summary.optional("weights").isPresent() ? summary.field("weights").text() : null;
        String images = summary.optional("images").isPresent() ? Formats.count(summary.field("images").integer()) : "?";
        // the verdict is generated as one paragraph of sentences, each about one metric
        List<String> verdict = List.of(summary.field("verdict").text().split("(?<=\\.) (?=[A-Z])"));
        return new View(weights, images, verdict, tables, curves, sanity, rankings,
                studyFigures(evaluateDir.resolve("study"), files));
    }

    /** The comparison study's figures, every kind and image the run wrote (how many is the run's --study-images). */
    private static List<Figure> studyFigures(Path studyDir, PageFiles files) throws IOException {
        if (!Files.isDirectory(studyDir)) {
            return List.of();
        }
        List<Path> pngs;
        try (Stream<Path> walk = Files.walk(studyDir, 2)) {
            pngs = walk.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
        List<Figure> figures = new ArrayList<>();
        for (Path png : pngs) {
            Figure figure = files.optionalFigure(png, png.getParent().getFileName() + ": " + png.getFileName().toString()
                    .replace(".png", ""));
            if (figure != null) {
                figures.add(figure);
            }
        }
        return figures;
    }
}
