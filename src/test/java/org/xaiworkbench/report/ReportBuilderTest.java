package org.xaiworkbench.report;

import org.xaiworkbench.explain.ExplanationRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportBuilderTest {
    private static final List<String> SECTIONS = List.of("model-card", "reproduction", "explanations", "trust", "cam-layers", "robustness");
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

    static ReportBuilder.Result build(Path root) throws IOException {
        List<ArchitectureRow> architecture = List.of(new ArchitectureRow("conv_layers.0", "Conv2d 3→64", "64×32×32", 1792),
                new ArchitectureRow("conv_layers.1", "ReLU", "64×32×32", 0), new ArchitectureRow("fc_layers.0", "Linear 4096→10", "10", 40970));
        ReportBuilder.Inputs inputs = new ReportBuilder.Inputs(List.of(root.resolve("weights/base"), root.resolve("weights/l2")),
                root.resolve("outputs"), root, architecture, "abc1234");
        return ReportBuilder.build(inputs, root.resolve("outputs/report"), NOW);
    }

    static Document parse(ReportBuilder.Result result) throws IOException {
        return Jsoup.parse(result.page().toFile(), "UTF-8");
    }

    @Test
    void everyInputGivesEverySectionWithoutNoticeOrWarning(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        ReportBuilder.Result result = build(root);
        assertEquals(List.of(), result.warnings());
        Document page = parse(result);
        for (String id : SECTIONS) {
            Element section = page.getElementById(id);
            assertNotNull(section, "section " + id);
            assertTrue(section.select(".notice, .warning").isEmpty(), id + " has no notice: " + section.select(".notice, .warning").text());
            assertTrue(section.select("h3, table").size() > 0, id + " has content");
            assertNotNull(page.selectFirst("nav.toc a[href=#" + id + "]"), "the contents link " + id);
        }
        result.sections().forEach(section -> assertEquals(SectionView.Status.BUILT, section.status(), section.id()));
    }

    /**
     * The Grad-CAM survey names its weights and dates itself by when its run finished; a CAM that is never dark
     * is said to be so, not "darkest" somewhere at 0 %.
     */
    @Test
    void camSurveySaysWhichWeightsWhenAndWhereEachMethodIsDark(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Element section = parse(build(root)).getElementById("cam-layers");
        List<String> findings = section.select("ul.findings li").eachText();
        assertEquals(List.of("grad-cam: dark most often at conv_layers.1 (17.0% of images); at the last module, conv_layers.14, 8.0%.",
                "grad-cam-plus-plus: never dark, at any of the 3 modules."), findings);
        assertTrue(section.text().contains("of weights/base,"), section.text());
        assertTrue(section.text().contains("run finished 2026-03-01"), section.text());
    }

    @Test
    void everyImageAndLinkResolvesToAFileOrAnElementAndNoneLeavesTheMachine(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        ReportBuilder.Result result = build(root);
        Document page = parse(result);
        Path pageDir = result.page().getParent();
        List<Element> images = page.select("img");
        assertTrue(images.size() > 30, "the fixture's figures are drawn: " + images.size());
        for (Element image : images) {
            Path file = local(pageDir, image.attr("src"));
            assertTrue(Files.isRegularFile(file), "img src " + image.attr("src") + " resolves");
            assertNotNull(ImageIO.read(file.toFile()), file + " is a readable image");
            assertTrue(file.toAbsolutePath().normalize().startsWith(pageDir.resolve(PageFiles.ASSETS)), "copied beside the page: " + file);
        }
        for (Element link : page.select("a[href]")) {
            String href = link.attr("href");
            if (href.startsWith("#")) {
                assertNotNull(page.getElementById(href.substring(1)), "the anchor " + href + " exists");
            } else {
                assertTrue(Files.isRegularFile(local(pageDir, href)), "href " + href + " resolves");
            }
        }
        for (Element element : page.select("[src], [href]")) {
            for (String attribute : List.of("src", "href")) {
                String value = element.attr(attribute).toLowerCase();
                assertFalse(value.contains("://") || value.startsWith("//"), "no request leaves the page: " + element.outerHtml());
            }
        }
        assertTrue(page.select("link[rel=stylesheet], script[src]").isEmpty(), "style and script are inline");
    }

    @Test
    void missingInputsSayWhichCommandWritesThem(@TempDir Path root) throws IOException {
        ReportBuilder.Result result = build(root);
        Document page = parse(result);
        Map<String, List<String>> commands = Map.of("model-card", List.of("make train", "make train-l2"),
                "reproduction", List.of("make train", "make train-l2"), "explanations", List.of("make explain"),
                "trust", List.of("make evaluate"), "cam-layers", List.of("make cam-layers"), "robustness", List.of("make robustness"));
        commands.forEach((id, expected) -> {
            Element section = page.getElementById(id);
            assertNotNull(section, id);
            List<Element> notices = section.select(".notice");
            assertEquals(expected, notices.stream().map(n -> n.selectFirst("code").text()).toList(), id);
            notices.forEach(notice -> assertTrue(notice.text().startsWith("not run yet: make"), notice.text()));
            assertTrue(section.select("table, img").isEmpty(), id + " draws nothing without inputs");
        });
        assertEquals(List.of(), result.warnings(), "a missing input is a notice, not a warning");
        result.sections().forEach(section -> assertEquals(SectionView.Status.NOT_RUN, section.status(), section.id()));
    }

    @Test
    void aTruncatedSummaryAndAMissingFigureAreNamedInWarningsAndThePageStillBuilds(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Path summary = root.resolve("outputs/evaluate/summary.json");
        String json = Files.readString(summary);
        Files.writeString(summary, json.substring(0, json.length() / 2));
        Path missingFigure = root.resolve("outputs/explain/grad-cam/cifar0001_airplane.png");
        Files.delete(missingFigure);

        ReportBuilder.Result result = build(root);
        Document page = parse(result);

        assertEquals(2, result.warnings().size(), result.warnings().toString());
        String summaryWarning = result.warnings().stream().filter(w -> w.contains("summary.json")).findFirst().orElseThrow();
        assertTrue(summaryWarning.startsWith("outputs/evaluate/summary.json is malformed ("), summaryWarning);
        assertTrue(summaryWarning.endsWith("section skipped"), summaryWarning);
        assertFalse(summaryWarning.contains("\n"), "one line");
        String figureWarning = result.warnings().stream().filter(w -> w.contains("cifar0001_airplane")).findFirst().orElseThrow();
        assertEquals("missing figure outputs/explain/grad-cam/cifar0001_airplane.png (written by make explain)", figureWarning);

        Element trust = page.getElementById("trust");
        assertTrue(trust.select(".warning").text().contains("summary.json is malformed"), trust.text());
        assertTrue(trust.select("table").isEmpty(), "the malformed section is skipped");
        assertEquals(SectionView.Status.SKIPPED, result.sections().get(3).status());
        Element gallery = page.getElementById("explanations");
        assertTrue(gallery.select(".warning").text().contains("cifar0001_airplane.png"));
        assertTrue(gallery.select(".missing").text().contains("outputs/explain/grad-cam/cifar0001_airplane.png"),
                "the figure's place names the file");
        assertEquals(ReportFixtures.EXPLAINED.size(), gallery.select(".card").size(), "the other figures are all there");
        assertEquals(2, page.select("#warnings li").size(), "the page lists both warnings at the top");
    }

    /** An ImageNet model shown CIFAR-10 pictures: predictions name the model's classes, the truth the dataset's. */
    @Test
    void aModelWithOtherClassesKeepsItsGalleryAndTheDatasetsTruth(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Path indexFile = root.resolve("outputs/explain").resolve(ExplanationRun.INDEX_FILE);
        var json = org.xaiworkbench.model.io.ModelStore.JSON;
        var index = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(indexFile.toFile());
        index.set("datasetClassNames", index.get("classNames"));
        var modelClasses = json.createArrayNode();
        ReportFixtures.CLASSES.forEach(c -> modelClasses.add("model " + c));
        index.set("classNames", modelClasses);
        for (var image : index.get("images")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) image).put("predictedClass", "model " + image.get("predictedClass").asText());
        }
        json.writeValue(indexFile.toFile(), index);

        ReportBuilder.Result result = build(root);
        Element gallery = parse(result).getElementById("explanations");
        assertTrue(gallery.select(".notice, .warning").isEmpty(), gallery.select(".notice, .warning").text());
        assertTrue(gallery.text().contains("dataset class cat (not one of the model's)"), "the truth is named, neither right nor wrong");
        assertTrue(gallery.text().contains("model airplane"), "predictions name the model's classes");
    }

    @Test
    void aMalformedCsvSkipsOnlyItsSection(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Path csv = root.resolve("outputs/cam-layers/cam-layers.csv");
        Files.writeString(csv, "method,layer,images,dark_share,lit_area\ngrad-cam,conv_layers.0,100,dark,0.5\n");
        ReportBuilder.Result result = build(root);
        assertEquals(List.of("outputs/cam-layers/cam-layers.csv is malformed (line 2 has a value that is not a number): section skipped"),
                result.warnings());
        Document page = parse(result);
        assertTrue(page.getElementById("cam-layers").select("table").isEmpty());
        assertFalse(page.getElementById("robustness").select("table").isEmpty(), "the next section is unaffected");
    }

    @Test
    void aMissingWeightsFolderLeavesTheOtherRun(@TempDir Path root) throws IOException {
        ReportFixtures.training(root.resolve("weights/base"), "base", 0, ReportFixtures.BASE_TEST_ACCURACY);
        Document page = parse(build(root));
        Element reproduction = page.getElementById("reproduction");
        assertEquals("make train-l2", reproduction.selectFirst(".notice code").text());
        List<String> runs = reproduction.select("table.reproduction tbody th").eachText();
        assertEquals(List.of("report, base", "PyTorch, the report's recipe on this data", "ours, base"), runs,
                "the report's row and the one ours is held to beside ours");
        assertEquals("73.21%", reproduction.select("table.reproduction tbody tr").get(1).select("td").get(4).text(),
                "PyTorch's test accuracy on this data");
        assertEquals("72.34%", reproduction.select("table.reproduction tbody tr").get(2).select("td").get(4).text(), "test accuracy");
    }

    @Test
    void eachSourceSaysWhichDateItShows(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Document page = parse(build(root));
        List<String> trust = page.getElementById("trust").select("p.source").eachText();
        assertTrue(trust.stream().anyMatch(s -> s.endsWith("summary.json, run finished 2026-01-01 00:00 UTC")), trust.toString());
        List<String> training = page.getElementById("reproduction").select("p.source").eachText();
        assertTrue(!training.isEmpty() && training.stream().allMatch(s -> s.contains("metrics.json, run finished 2026-02-01 08:00 UTC")),
                "the training date metrics.json records: " + training);
        List<String> gallery = page.getElementById("explanations").select("p.source").eachText();
        assertTrue(gallery.stream().anyMatch(s -> s.endsWith("explained.json, run finished 2026-01-01 00:00 UTC")), gallery.toString());
    }

    /** metrics.json of a run made before training recorded its finish is dated by its file, said as such. */
    @Test
    void aTrainingRunWithoutItsDateIsDatedByItsFileSaidAsSuch(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Path metrics = root.resolve("weights/base/metrics.json");
        Files.writeString(metrics, Files.readString(metrics).replaceAll(",\\s*\"finished\"\\s*:\\s*\"[^\"]*\"", ""));
        List<String> training = parse(build(root)).getElementById("reproduction").select("p.source").eachText();
        assertTrue(training.stream().anyMatch(s -> s.contains("weights/base/metrics.json, file modified ")), training.toString());
    }

    @Test
    void theTopSaysWhichWeightsCommitAndDate(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Document page = parse(build(root));
        String facts = page.selectFirst("dl.facts").text();
        assertTrue(facts.contains("weights/base (training, explanations gallery, which explanation to trust, robustness)"), facts);
        assertTrue(facts.contains("weights/l2 (training)"), facts);
        assertTrue(facts.contains("commit abc1234"), facts);
        assertTrue(facts.contains("2026-03-04 05:06 UTC"), facts);
        assertTrue(page.getElementById("model-card").text().contains("42,762"), "the architecture's parameters are summed");
    }

    @Test
    void theTopSaysAtAGlanceTheAccuracyAgainstItsReferenceWhomToTrustAndTheAttackHeadline(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Document page = parse(build(root));
        Element glance = page.selectFirst("header section.glance");
        assertNotNull(glance, "the summary is in the header, before the sections");
        assertTrue(page.html().indexOf("class=\"glance\"") < page.html().indexOf("class=\"facts\""), "before the facts");
        List<String> labels = glance.select("dt").eachText();
        assertEquals(List.of("Model", "Which maps to trust", "Attacks"), labels);
        List<String> lines = glance.select("dd").eachText();
        assertTrue(lines.get(0).startsWith(Formats.percent(ReportFixtures.BASE_TEST_ACCURACY, 2) + " test accuracy"), lines.get(0));
        assertTrue(lines.get(0).contains("PyTorch, the report's recipe on this data: 73.21%"), lines.get(0));
        assertTrue(lines.get(1).startsWith("Trust grad-cam and occlusion on this model"), lines.get(1));
        assertFalse(lines.get(1).contains("saliency"), "the details stay in the section: " + lines.get(1));
        assertTrue(lines.get(2).startsWith("FGSM at epsilon 8/255 leaves 8.0% accuracy, against 72.0% without it."), lines.get(2));
        assertEquals(List.of("#reproduction", "#trust", "#robustness"), glance.select("dd a").eachAttr("href"));
    }

    @Test
    void withNothingRunTheTopHasNoSummary(@TempDir Path root) throws IOException {
        assertNull(parse(build(root)).selectFirst("section.glance"));
    }

    @Test
    void rowsAreSortedByTheHeadlineBetterFirstAndTheSortIsShown(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Element ranking = parse(build(root)).selectFirst("table.ranking");
        // no insertion - deletion in this run: its first ranked metric, deletion, lower first
        assertEquals(List.of("occlusion", "grad-cam", "saliency", "control-random"), ranking.select("tbody th.method").eachText());
        assertEquals("ascending", ranking.selectFirst("th:has(button:containsOwn(deletion))").attr("aria-sort"));
        assertEquals(1, ranking.select("th[aria-sort]").size());
        assertTrue(ranking.selectFirst("caption").text().contains("sorted by deletion"), ranking.selectFirst("caption").text());
        // deletion's and insertion's rank 1 stand apart from ranks 3 and 4: shaded, two each; complexity is not ranked
        assertEquals(4, ranking.select("tbody td.best").size());
        Element definitions = ranking.nextElementSibling();
        assertEquals("dl", definitions.tagName(), "each table's metrics are defined as text under it, not only on hover");
        assertEquals(List.of("deletion", "insertion", "complexity"), definitions.select("dt").eachText());
        assertTrue(definitions.select("dd").get(0).text().startsWith("Deletion AUC"), definitions.text());
    }

    @Test
    void everyRankingColumnSaysWhichWayIsBetterAndEveryCellHasItsInterval(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Element ranking = parse(build(root)).selectFirst("table.ranking");
        assertNotNull(ranking);
        List<Element> columns = ranking.select("thead th[data-order]");
        assertEquals(List.of("deletion", "insertion", "complexity"), columns.stream().map(c -> c.selectFirst("button").text()).toList());
        assertEquals(List.of("↓ lower is better", "↑ higher is better", "descriptor, not ranked"),
                columns.stream().map(c -> c.selectFirst(".better").text()).toList());
        for (Element row : ranking.select("tbody tr")) {
            for (Element cell : row.select("td")) {
                assertTrue(cell.selectFirst(".interval").text().matches("\\[-?[0-9.]+, -?[0-9.]+]"), cell.text());
            }
        }
        List<String> controls = ranking.select("tbody tr.control th").eachText();
        assertEquals(List.of("control-random"), controls);
        assertTrue(ranking.select("td.best").size() >= 2, "rank 1 is marked in each ranked column");
        assertEquals(2, parse(build(root)).select("#trust .verdict p").size(), "the verdict's sentences, one paragraph each");
    }

    @Test
    void manyMetricsAreSplitOverTablesThatEachFitAScreenAndEachListEveryMethod(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Path summaryFile = root.resolve("outputs/evaluate/summary.json");
        ObjectNode summary = (ObjectNode) new ObjectMapper().readTree(summaryFile.toFile());
        ObjectNode metrics = (ObjectNode) summary.get("metrics");
        for (int extra = 0; extra < 10; extra++) {
            metrics.set("extra-" + extra, metrics.get("insertion").deepCopy());
        }
        new ObjectMapper().writeValue(summaryFile.toFile(), summary);
        List<Element> tables = parse(build(root)).select("#trust table.ranking");
        assertEquals(List.of(7, 6), tables.stream().map(t -> t.select("thead th[data-order]").size()).toList());
        for (Element table : tables) {
            assertEquals(List.of("occlusion", "grad-cam", "saliency", "control-random"), table.select("tbody th.method").eachText(),
                    "every table in the headline's order");
        }
    }

    @Test
    void galleryCardsCarryTheirTrueClassOutcomeAndOneFigurePerMethod(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        Element gallery = parse(build(root)).getElementById("explanations");
        List<Element> cards = gallery.select(".card");
        assertEquals(ReportFixtures.EXPLAINED.size(), cards.size());
        for (int i = 0; i < cards.size(); i++) {
            String[] picture = ReportFixtures.EXPLAINED.get(i);
            Element card = cards.get(i);
            String expected = picture[1] == null ? "unknown" : picture[1].equals(picture[2]) ? "correct" : "wrong";
            assertEquals(expected, card.attr("data-outcome"), picture[0]);
            assertEquals(picture[1] == null ? "" : picture[1], card.attr("data-true-class"));
            assertEquals(ReportFixtures.METHODS, card.select("figure.method").eachAttr("data-method"));
            assertEquals(10, card.select(".bars li").size(), "one probability bar per class");
            assertEquals(picture[2], card.selectFirst(".bars li.predicted .label").text());
            Element dialog = card.selectFirst("dialog");
            assertEquals(dialog.id(), card.selectFirst("a.open-figures").attr("data-dialog"));
            assertTrue(dialog.select("img").size() >= 4, "the full-size figures of " + picture[0]);
        }
        int methods = ReportFixtures.METHODS.size();
        assertEquals(methods + 6, cards.get(0).selectFirst("dialog").select("img").size(),
                "cifar0000's dialog: each method's whole figure, explain's four whole-image figures and the study's SmoothGrad grid "
                        + "and counterfactual");
        assertEquals(methods + 4, cards.get(1).selectFirst("dialog").select("img").size(), "cifar0001 is not in the study");
        for (Element tile : cards.get(0).select("figure.method img")) {
            assertTrue(tile.attr("src").endsWith(".thumb.png") && tile.hasClass("drawn-size"),
                    "the grid shows each method's thumbnail at its drawn size: " + tile);
        }
        assertTrue(cards.get(0).selectFirst("dialog").select("img").eachAttr("src").stream().noneMatch(src -> src.endsWith(".thumb.png")),
                "the dialog shows the whole figures");
        assertEquals(List.of("airplane", "cat", "ship"), gallery.select("#filter-class option[value~=.]").eachAttr("value"),
                "the class filter offers the true classes present, in class order");
    }

    @Test
    void rebuildingReplacesThePageAtomicallyAndDropsStaleFigures(@TempDir Path root) throws IOException {
        ReportFixtures.everything(root);
        ReportBuilder.Result first = build(root);
        Path assets = first.page().getParent().resolve(PageFiles.ASSETS);
        Path stale = assets.resolve("outputs/explain/saliency/gone.png");
        Files.writeString(stale, "left over from an earlier run");
        ReportBuilder.Result second = build(root);
        assertFalse(Files.exists(stale), "figures of earlier runs are removed");
        try (Stream<Path> files = Files.list(second.page().getParent())) {
            assertEquals(List.of(PageFiles.ASSETS, ReportBuilder.PAGE_FILE), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left beside the page");
        }
        assertNull(parse(second).selectFirst("img[src*=gone.png]"));
    }

    private static Path local(Path pageDir, String address) {
        return pageDir.resolve(URLDecoder.decode(address, StandardCharsets.UTF_8)).normalize();
    }
}
