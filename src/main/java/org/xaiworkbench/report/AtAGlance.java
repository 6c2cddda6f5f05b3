package org.xaiworkbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The page's first lines, for a reader with a minute: the model's test accuracy against the figure it is
 * held to, which maps to trust and whether they pass the sanity check, and the attack headline, each
 * linking to the section it comes from. Built from the sections' own views; a section that has not run
 * adds nothing.
 */
final class AtAGlance {
    /** One line: what it is about, what the run found, and the section with the details. */
    record Item(String label, String text, String section) {
    }

    record View(List<Item> items) {
    }

    private AtAGlance() {
    }

    /** Null when no section has anything to say yet. */
    static View of(List<TrainingRun> runs, SectionView reproduction, SectionView trust, SectionView robustness) {
        List<Item> items = new ArrayList<>();
        if (!runs.isEmpty() && reproduction.content() != null) {
            items.add(new Item("Model", accuracy(runs.get(0)), reproduction.id()));
        }
        if (trust.content() instanceof TrustSection.View view) {
            List<String> findings = view.verdict().stream().filter(AtAGlance::isHeadline).toList();
            if (!findings.isEmpty()) {
                items.add(new Item("Which maps to trust", String.join(" ", findings), trust.id()));
            }
        }
        if (robustness.content() instanceof RobustnessSection.View view) {
            attack(view).ifPresent(text -> items.add(new Item("Attacks", text, robustness.id())));
        }
        return items.isEmpty() ? null : new View(items);
    }

    /** "72.62 % test accuracy (weights/base); the report's recipe in PyTorch on this data: 73.21 %; the report: 75%". */
    static String accuracy(TrainingRun run) {
        StringBuilder text = new StringBuilder(Formats.percent(run.testAccuracy(), 2) + " test accuracy on CIFAR-10 ("
                + run.runName() + " run)");
        for (ReferenceRuns.Row reference : ReferenceRuns.forL2(run.l2())) {
            // the table's columns: train acc, train loss, val acc, val loss, test acc, ...
            text.append("; ").append(reference.run()).append(": ").append(reference.values().get(4));
        }
        return text.append('.').toString();
    }

    /** The verdict's sentences a first reading needs: whether it is provisional, whom to trust, and the sanity check. */
    private static boolean isHeadline(String sentence) {
        return sentence.startsWith("With ") || sentence.startsWith("Trust ") || sentence.startsWith("No method beats")
                || sentence.startsWith("Every method passes") || sentence.startsWith("Fail the model-randomization");
    }

    /** The strongest attack at its largest strength against the model unattacked: PGD when it ran, else the first curve. */
    private static Optional<String> attack(RobustnessSection.View view) {
        Optional<RobustnessSection.Curve> curve = view.curves().stream().filter(c -> c.title().startsWith("PGD")).findFirst()
                .or(() -> view.curves().stream().findFirst());
        return curve.filter(c -> c.points().size() > 1).map(c -> {
            // the first point is the unperturbed test set (strength 0)
            RobustnessSection.Point clean = c.points().get(0);
            RobustnessSection.Point strongest = c.points().get(c.points().size() - 1);
            return String.format(Locale.ROOT, "%s at %s %s leaves %s accuracy, against %s without it.", c.title(), c.strengthName(),
                    strongest.strength(), strongest.accuracy(), clean.accuracy());
        });
    }
}
