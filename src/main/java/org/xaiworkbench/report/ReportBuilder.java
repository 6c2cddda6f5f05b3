package org.xaiworkbench.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import org.xaiworkbench.data.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the report page from what the other commands wrote: training metrics in the weights folders,
 * and explain/, evaluate/, cam-layers/ and robustness/ under the outputs folder. A section whose
 * inputs are missing says which command writes them; a malformed file is named in a warning and its
 * section skipped; the page is always written, atomically, with its figures copied beside it.
 */
public final class ReportBuilder {
    public static final String PAGE_FILE = "index.html";
    private static final String TEMPLATES = "org/xaiworkbench/report";

    /**
     * @param weights      weights folders whose training runs the model card and reproduction show
     * @param outputs      the folder holding explain/, evaluate/, cam-layers/, robustness/
     * @param projectDir   where the commands ran: relative paths in their files start here
     * @param architecture the network's modules, for the model card
     * @param codeVersion  the commit of the code, or "unknown"
     */
    public record Inputs(List<Path> weights, Path outputs, Path projectDir, List<ArchitectureRow> architecture,
                         String codeVersion) {
    }

    /** The page written, its sections in order, and every warning (also shown on the page). */
    public record Result(Path page, List<SectionView> sections, List<String> warnings) {
    }

    /** A weights folder and the sections that describe it. */
    public record WeightsUse(String folder, String usedBy) {
    }

    /** Everything the template draws. */
    public record Page(String built, String codeVersion, List<WeightsUse> weights, List<String> warnings, AtAGlance.View glance,
                       List<SectionView> sections,
                       SectionView modelCard, SectionView reproduction, SectionView gallery, SectionView trust,
                       SectionView camLayers, SectionView robustness, String css, String script) {
        public boolean hasWarnings() {
            return !warnings.isEmpty();
        }
    }

    private ReportBuilder() {
    }

    /** Writes {@code out}/index.html and {@code out}/assets/ from {@code inputs}, dated {@code now}. */
    public static Result build(Inputs inputs, Path out, Instant now) throws IOException {
        PageFiles files = new PageFiles(inputs.projectDir(), out);
        SectionDraft modelCard = new SectionDraft(ModelCardSection.ID, ModelCardSection.TITLE, files);
        SectionDraft reproduction = new SectionDraft(ReproductionSection.ID, ReproductionSection.TITLE, files);
        List<TrainingRun> runs = TrainingRun.readAll(inputs.weights(), List.of(modelCard, reproduction));
        ModelCardSection.fill(modelCard, inputs.architecture(), runs);
        ReproductionSection.fill(reproduction, runs, files);

        SectionDraft gallery = new SectionDraft(GallerySection.ID, GallerySection.TITLE, files);
        Path evaluateDir = inputs.outputs().resolve("evaluate");
        GallerySection.fill(gallery, inputs.outputs().resolve("explain"), evaluateDir.resolve("study"), files);
        SectionDraft trust = new SectionDraft(TrustSection.ID, TrustSection.TITLE, files);
        TrustSection.fill(trust, evaluateDir, files);
        SectionDraft camLayers = new SectionDraft(CamLayersSection.ID, CamLayersSection.TITLE, files);
        CamLayersSection.fill(camLayers, inputs.outputs().resolve("cam-layers"), files);
        SectionDraft robustness = new SectionDraft(RobustnessSection.ID, RobustnessSection.TITLE, files);
        List<String> classNames = runs.isEmpty() ? List.of() : runs.get(0).classNames();
        RobustnessSection.fill(robustness, inputs.outputs().resolve("robustness"), classNames, files);

        List<SectionView> sections = new ArrayList<>();
        for (SectionDraft draft : List.of(modelCard, reproduction, gallery, trust, camLayers, robustness)) {
            sections.add(draft.view(sections.size() + 1));
        }
        List<String> warnings = sections.stream().flatMap(section -> section.warnings().stream()).distinct().toList();
        AtAGlance.View glance = AtAGlance.of(runs, sections.get(1), sections.get(3), sections.get(5));
        Page page = new Page(PageFiles.DATE.format(now), inputs.codeVersion(), weightsUsed(runs, sections, files), warnings, glance,
                sections,
                sections.get(0), sections.get(1), sections.get(2), sections.get(3), sections.get(4), sections.get(5),
                resource("report.css"), resource("report.js"));
        Path pageFile = out.resolve(PAGE_FILE);
        AtomicFiles.writeString(pageFile, render(page));
        files.pruneOthers();
        return new Result(pageFile, sections, warnings);
    }

    /** Which weights each section describes, as its inputs record them (cam-layers.csv records none). */
    private static List<WeightsUse> weightsUsed(List<TrainingRun> runs, List<SectionView> sections, PageFiles files) {
        Map<String, List<String>> uses = new LinkedHashMap<>();
        for (TrainingRun run : runs) {
            uses.computeIfAbsent(files.display(run.folder()), f -> new ArrayList<>()).add("training");
        }
        for (SectionView section : sections) {
            String weights = null;
            if (section.content() instanceof GallerySection.View view) {
                weights = view.weights();
            } else if (section.content() instanceof TrustSection.View view) {
                weights = view.weights();
            } else if (section.content() instanceof RobustnessSection.View view) {
                weights = view.model();
            }
            if (weights != null) {
                uses.computeIfAbsent(files.display(files.resolve(weights)), f -> new ArrayList<>()).add(section.title().toLowerCase(Locale.ROOT));
            }
        }
        return uses.entrySet().stream().map(e -> new WeightsUse(e.getKey(), String.join(", ", e.getValue()))).toList();
    }

    private static String render(Page page) {
        Mustache template = new DefaultMustacheFactory(TEMPLATES).compile("report.mustache");
        StringWriter html = new StringWriter();
        template.execute(html, page);
        return html.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ReportBuilder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
