package org.xaiworkbench.report;

import org.xaiworkbench.data.OutputFiles;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Section 5: how often Grad-CAM and Grad-CAM++ are dark at each module (make cam-layers' survey). */
final class CamLayersSection {
    static final String ID = "cam-layers";
    static final String TITLE = "Where Grad-CAM goes dark";
    static final String COMMAND = "make cam-layers";
    static final String CSV_FILE = OutputFiles.CAM_LAYERS_TABLE;
    static final String RUN_FILE = OutputFiles.CAM_LAYERS_RUN;
    private static final String HEADER = "method,layer,images,dark_share,lit_area";

    /** @param findings one sentence per method: its darkest module and the last module */
    /** @param weights the model the survey ran on, or null where the run did not record it */
    record View(String images, String weights, List<String> methods, List<Row> rows, Figure chart, List<String> findings) {
    }

    /** One module: for each method, the share of images whose map is dark and the mean lit area. */
    record Row(String module, List<String> values) {
    }

    private record Survey(String method, String module, long images, double darkShare, double litArea) {
    }

    private CamLayersSection() {
    }

    static void fill(SectionDraft section, Path camLayersDir, PageFiles files) throws IOException {
        Path csv = camLayersDir.resolve(CSV_FILE);
        if (!Files.isRegularFile(csv)) {
            section.notRun(COMMAND, csv);
            return;
        }
        List<Survey> survey;
        try {
            survey = read(csv);
        } catch (MalformedInput e) {
            section.skipped(e, "section");
            return;
        }
        String weights = null;
        Path runFile = camLayersDir.resolve(RUN_FILE);
        if (Files.isRegularFile(runFile)) {
            try {
                JsonInput.Node run = JsonInput.read(runFile);
                weights = run.field("weights").text();
                section.source(csv, run.field("finished").instant());
            } catch (MalformedInput e) {
                section.skipped(e, "run record");
                section.source(csv);
            }
        } else {
            section.source(csv);
        }
        Map<String, Map<String, Survey>> byModule = new LinkedHashMap<>();
        List<String> methods = new ArrayList<>();
        for (Survey s : survey) {
            byModule.computeIfAbsent(s.module(), m -> new LinkedHashMap<>()).put(s.method(), s);
            if (!methods.contains(s.method())) {
                methods.add(s.method());
            }
        }
        List<Row> rows = new ArrayList<>();
        byModule.forEach((module, cells) -> {
            List<String> values = new ArrayList<>();
            for (String method : methods) {
                Survey s = cells.get(method);
                values.add(s == null ? "–" : Formats.percent(s.darkShare(), 1));
                values.add(s == null ? "–" : Formats.percent(s.litArea(), 0));
            }
            rows.add(new Row(module, values));
        });
        List<String> findings = new ArrayList<>();
        for (String method : methods) {
            List<Survey> own = survey.stream().filter(s -> s.method().equals(method)).toList();
            Survey darkest = own.stream().max((a, b) -> Double.compare(a.darkShare(), b.darkShare())).orElseThrow();
            Survey last = own.get(own.size() - 1);
            if (darkest.darkShare() == 0) {
                findings.add(String.format(Locale.ROOT, "%s: never dark, at any of the %d modules.", method, own.size()));
            } else {
                findings.add(String.format(Locale.ROOT, "%s: dark most often at %s (%s of images); at the last module, %s, %s.",
                        method, darkest.module(), Formats.percent(darkest.darkShare(), 1), last.module(),
                        Formats.percent(last.darkShare(), 1)));
            }
        }
        Figure chart = files.figure(camLayersDir.resolve(OutputFiles.CAM_LAYERS_FIGURE), "share of images whose map is dark, per module",
                section, COMMAND);
        section.content(new View(Formats.count(survey.get(0).images()), weights, methods, rows, chart, findings));
    }

    private static List<Survey> read(Path csv) throws IOException, MalformedInput {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (CharacterCodingException e) {
            throw new MalformedInput(csv, "not UTF-8 text");
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new MalformedInput(csv, "expected the header " + HEADER);
        }
        List<Survey> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] fields = lines.get(i).split(",", -1);
            if (fields.length != 5) {
                throw new MalformedInput(csv, "line " + (i + 1) + " has " + fields.length + " fields, expected 5");
            }
            try {
                rows.add(new Survey(fields[0], fields[1], Long.parseLong(fields[2].strip()), Double.parseDouble(fields[3]),
                        Double.parseDouble(fields[4])));
            } catch (NumberFormatException e) {
                throw new MalformedInput(csv, "line " + (i + 1) + " has a value that is not a number");
            }
        }
        if (rows.isEmpty()) {
            throw new MalformedInput(csv, "no rows after the header");
        }
        return rows;
    }
}
