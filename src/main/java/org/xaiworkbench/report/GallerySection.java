package org.xaiworkbench.report;

import org.xaiworkbench.data.OutputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Section 3: every explained image with every method's figure, its probabilities, and filters by
 * true class, by correct or wrong prediction and by method; a click opens the image's full-size figures.
 */
final class GallerySection {
    static final String ID = "explanations";
    static final String TITLE = "Explanations gallery";
    static final String COMMAND = "make explain";
    static final String INDEX_FILE = OutputFiles.EXPLAINED;

    /** Captions of the whole-image figures, by the kind explained.json and the evaluation's study/ file them under. */
    private static final Map<String, String> FULL_SIZE = Map.of(
            "all-methods", "Every method side by side, with the probabilities",
            "grad-cam-layers", "Grad-CAM at every module",
            "layer-saliency", "Saliency of every module's activation",
            "occlusion-grid", "Occlusion: window × baseline",
            "smoothgrad-grid", "SmoothGrad: samples × noise (make evaluate's study)",
            "top3-all-methods", "Every method for the top-3 classes (make evaluate's study)",
            "counterfactual", "Counterfactual: the most important window blacked out (make evaluate's study)");

    record View(String weights, List<String> classes, List<String> methods, List<Card> cards, String counts) {
    }

    /** One explained image; {@code outcome} is correct, wrong, or unknown for a picture without a true class. */
    record Card(String name, String dialogId, String trueClass, String predicted, String probability, String outcome,
                String outcomeLabel, List<Bar> bars, List<MethodFigure> methods, List<Figure> fullSize) {
    }

    /** One class's probability; {@code width} is the bar's CSS width. */
    record Bar(String className, String percent, String width, boolean predicted, boolean truth) {
    }

    /**
     * One method's map of the predicted class: its thumbnail for the grid (the map alone at its drawn size, with its
     * colour scale; the whole figure where the run wrote none) and its whole figure for the dialog.
     */
    record MethodFigure(String method, Figure thumbnail, Figure figure) {
        /** Whether the grid shows a thumbnail, at the size it was drawn at, rather than the whole figure shrunk to fit. */
        public boolean drawnSize() {
            return thumbnail != figure;
        }
    }

    private GallerySection() {
    }

    /** @param studyDir the evaluation's study/ folder, whose figures of the same image join its full-size ones */
    static void fill(SectionDraft section, Path explainDir, Path studyDir, PageFiles files) throws IOException {
        Path indexFile = explainDir.resolve(INDEX_FILE);
        if (!Files.isRegularFile(indexFile)) {
            section.notRun(COMMAND, indexFile);
            return;
        }
        try {
            JsonInput.Node index = JsonInput.read(indexFile);
            List<String> classNames = index.field("classNames").texts();
            List<String> truthNames = index.optional("datasetClassNames").isPresent() ? index.field("datasetClassNames").texts() : classNames;
            List<String> methods = index.field("methods").texts();
            List<Card> cards = new ArrayList<>();
            Set<String> trueClasses = new LinkedHashSet<>();
            int correct = 0;
            int wrong = 0;
            for (JsonInput.Node image : index.field("images").elements()) {
                Card card = card(image, cards.size(), classNames, truthNames, explainDir, studyDir, files, section);
                cards.add(card);
                if (card.trueClass() != null) {
                    trueClasses.add(card.trueClass());
                }
                correct += card.outcome().equals("correct") ? 1 : 0;
                wrong += card.outcome().equals("wrong") ? 1 : 0;
            }
            section.source(indexFile, index.field("finished").instant());
            List<String> nonFinite = index.optional("nonFiniteOutputs").isPresent() ? index.field("nonFiniteOutputs").texts() : List.of();
            if (!nonFinite.isEmpty()) {
                section.warn(files.display(indexFile) + ": the model's outputs were NaN or infinite for " + String.join(", ", nonFinite)
                        + ": their predictions and explanations mean nothing");
            }
            List<String> classes = truthNames.stream().filter(trueClasses::contains).toList();
            String counts = String.format(Locale.ROOT, "%d images: %d predicted correctly, %d wrongly, %d without a true class",
                    cards.size(), correct, wrong, cards.size() - correct - wrong);
            section.content(new View(index.field("weights").text(), classes, methods, cards, counts));
        } catch (MalformedInput e) {
            section.skipped(e, "section");
        }
    }

    private static Card card(JsonInput.Node image, int position, List<String> classNames, List<String> truthNames, Path explainDir, Path studyDir, PageFiles files,
                             SectionDraft section) throws MalformedInput, IOException {
        String name = image.field("name").text();
        String trueClass = image.optional("trueClass").isPresent() ? image.field("trueClass").text() : null;
        String predicted = image.field("predictedClass").text();
        double[] probabilities = image.field("probabilities").numbers();
        if (probabilities.length != classNames.size()) {
            throw image.field("probabilities").problem("has " + probabilities.length + " values for " + classNames.size() + " classes");
        }
        if (!classNames.contains(predicted)) {
            throw image.problem("predicts a class that is not in classNames");
        }
        if (trueClass != null && !truthNames.contains(trueClass)) {
            throw image.problem("names a true class that is not in " + (truthNames == classNames ? "classNames" : "datasetClassNames"));
        }
        List<Bar> bars = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            bars.add(new Bar(classNames.get(c), Formats.percent(probabilities[c], 1), Formats.percent(probabilities[c], 1),
                    classNames.get(c).equals(predicted), classNames.get(c).equals(trueClass)));
        }
        List<JsonInput.Node> targets = image.field("targets").elements();
        if (targets.isEmpty()) {
            throw image.field("targets").problem("lists no explained class");
        }
        List<MethodFigure> methods = new ArrayList<>();
        Map<String, JsonInput.Node> thumbnails = targets.get(0).optional("thumbnails").isPresent()
                ? targets.get(0).field("thumbnails").fields() : Map.of();
        List<Figure> fullSize = new ArrayList<>();
        for (Map.Entry<String, JsonInput.Node> figure : targets.get(0).field("figures").fields().entrySet()) {
            String caption = figure.getKey() + " for " + predicted;
            Figure whole = files.figure(explainDir.resolve(figure.getValue().text()), caption, section, COMMAND);
            Figure thumbnail = thumbnails.containsKey(figure.getKey())
                    ? files.optionalFigure(explainDir.resolve(thumbnails.get(figure.getKey()).text()), caption) : null;
            methods.add(new MethodFigure(figure.getKey(), thumbnail == null ? whole : thumbnail, whole));
            fullSize.add(whole);
        }
        for (Map.Entry<String, JsonInput.Node> figure : image.field("figures").fields().entrySet()) {
            fullSize.add(files.figure(explainDir.resolve(figure.getValue().text()),
                    FULL_SIZE.getOrDefault(figure.getKey(), figure.getKey()), section, COMMAND));
        }
        for (JsonInput.Node other : targets.subList(1, targets.size())) {
            String className = other.field("className").text();
            for (Map.Entry<String, JsonInput.Node> figure : other.field("figures").fields().entrySet()) {
                fullSize.add(files.figure(explainDir.resolve(figure.getValue().text()), figure.getKey() + " for " + className,
                        section, COMMAND));
            }
        }
        for (String kind : List.of("smoothgrad-grid", "top3-all-methods", "counterfactual")) {
            Figure study = files.optionalFigure(studyDir.resolve(kind).resolve(name + ".png"), FULL_SIZE.get(kind));
            if (study != null) {
                fullSize.add(study);
            }
        }
        // a dataset class the model does not have (a CIFAR-10 picture shown to an ImageNet model) can be neither right nor wrong
        String outcome = trueClass == null || !classNames.contains(trueClass) ? "unknown" : trueClass.equals(predicted) ? "correct" : "wrong";
        String outcomeLabel = switch (outcome) {
            case "correct" -> "correct";
            case "wrong" -> "wrong: true class " + trueClass;
            default -> trueClass == null ? "no true class (your picture)" : "dataset class " + trueClass + " (not one of the model's)";
        };
        String probability = Formats.percent(probabilities[classNames.indexOf(predicted)], 1);
        return new Card(name, "figures-" + position, trueClass, predicted, probability, outcome,
                outcomeLabel, bars, methods, fullSize);
    }
}
