package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.report.ArchitectureRow;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {
    @Test
    void theArchitectureIsTheReportsVgg13WithItsParameterCount() {
        List<ArchitectureRow> rows = ReportCommand.architecture();
        assertEquals(22, rows.size(), "conv_layers.0-14 and fc_layers.0-6");
        assertEquals(6_400_586, rows.stream().mapToLong(ArchitectureRow::parameters).sum());
        assertEquals("256×4×4", rows.get(14).output(), "the last pooling layer's output feeds the 4096-wide linear layer");
        assertEquals("Linear 4096→1024", rows.get(15).layer());
    }

    @Test
    void writesThePageFromNothingAndPrintsAWarningPerMalformedFile(@TempDir Path dir) throws Exception {
        Path outputs = dir.resolve("outputs");
        Files.createDirectories(outputs.resolve("robustness"));
        Files.writeString(outputs.resolve("robustness/robustness.json"), "{\"model\": \"weights/base\", \"images\": ");
        Path out = dir.resolve("report");
        ReportRun report = report(dir, outputs, out);
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.isRegularFile(out.resolve("index.html")));
        List<String> warnings = report.warnings();
        assertEquals(1, warnings.size(), report.err());
        assertTrue(warnings.get(0).contains("robustness.json is malformed (") && warnings.get(0).endsWith("section skipped"), warnings.get(0));
        assertTrue(report.stdout().contains("not run yet: make explain"), report.stdout());
        assertTrue(report.stdout().contains("wrote " + out.resolve("index.html")), report.stdout());
    }

    @Test
    void aCsvThatIsNotUtf8SkipsItsSectionNamingTheFileAndThePageIsStillWritten(@TempDir Path dir) throws Exception {
        Path outputs = dir.resolve("outputs");
        Path csv = outputs.resolve("cam-layers/cam-layers.csv");
        Files.createDirectories(csv.getParent());
        Files.write(csv, "method,layer,images,dark_share,lit_area\ngrad-cam,conv_layers.0,100,0.5,0.5 \u00e9t\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Path out = dir.resolve("report");
        ReportRun report = report(dir, outputs, out);
        assertEquals(0, report.code(), report.err());
        List<String> warnings = report.warnings();
        assertEquals(1, warnings.size(), report.err());
        assertTrue(warnings.get(0).contains(csv.toString()) && warnings.get(0).contains("not UTF-8"), warnings.get(0));
        assertTrue(report.stdout().contains("skipped"), report.stdout());
        String page = Files.readString(out.resolve("index.html"));
        assertTrue(page.contains("cam-layers.csv is malformed (not UTF-8 text)"), "the notice is on the page too");
    }

    @Test
    void anOutFolderThatIsAFileIsOneLineErrorAndExitTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("report"), "not a folder");
        String[] err = new String[1];
        int code = run(err, new String[1], "report", "--outputs", dir.toString(), "--out", file.toString());
        assertEquals(2, code);
        assertEquals("error: --out " + file + ": is a file, expected a folder", err[0].strip());
    }

    @Test
    void aWeightsFolderThatIsAFileIsNamedWithTheFlag(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("weights"), "not a folder");
        String[] err = new String[1];
        int code = run(err, new String[1], "report", "--weights", file.toString(), "--outputs", dir.toString(), "--out",
                dir.resolve("report").toString());
        assertEquals(2, code);
        assertEquals("error: --weights " + file + ": is a file, expected a folder", err[0].strip());
    }

    /** What one {@code report} run printed, with the exit code. */
    private record ReportRun(int code, String err, String stdout) {
        List<String> warnings() {
            return err.lines().filter(line -> line.startsWith("warning: ")).toList();
        }
    }

    /** {@code report} over {@code outputs} into {@code out}, with the (absent) weights under {@code dir}. */
    private static ReportRun report(Path dir, Path outputs, Path out) {
        String[] err = new String[1];
        String[] stdout = new String[1];
        int code = run(err, stdout, "report", "--weights", dir.resolve("weights/base").toString(), "--outputs", outputs.toString(),
                "--out", out.toString());
        return new ReportRun(code, err[0], stdout[0]);
    }

    private static int run(String[] err, String[] out, String... args) {
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errBytes, true));
        System.setOut(new PrintStream(outBytes, true));
        try {
            return Main.run(args);
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
            err[0] = errBytes.toString();
            out[0] = outBytes.toString();
        }
    }
}
