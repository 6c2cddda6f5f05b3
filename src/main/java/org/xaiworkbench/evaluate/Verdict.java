package org.xaiworkbench.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A paragraph that reads the summaries: which methods are faithful on this model, which fail the
 * sanity check, which do no better than the control maps. Every name and number in it comes from the
 * run; nothing is hard-coded but the rules below.
 */
final class Verdict {
    /**
     * A method fails model randomization when its map's mean rank correlation with the map on the fully
     * randomized model stays above this: the map is then more alike than not across a trained and a
     * destroyed model.
     */
    static final double RANDOMIZATION_FAILURE = 0.5;

    private Verdict() {
    }

    static String of(Map<String, List<Statistics.Summary>> summaries, MethodSuite methods) {
        List<String> sentences = new ArrayList<>();
        faithfulness(summaries.get(InsertionMinusDeletion.ID), methods, "insertion - deletion").ifPresent(sentences::add);
        faithfulness(summaries.get(RoadCombined.ID), methods, "ROAD combined").ifPresent(sentences::add);
        List<Statistics.Summary> randomization = summaries.get(ModelRandomization.ID);
        if (randomization != null) {
            List<String> failing = new ArrayList<>();
            List<String> passing = new ArrayList<>();
            for (Statistics.Summary s : randomization) {
                String entry = String.format(Locale.ROOT, "%s (%.2f)", s.method(), s.mean());
                (s.mean() > RANDOMIZATION_FAILURE ? failing : passing).add(entry);
            }
            sentences.add(String.format(Locale.ROOT, "Model randomization (mean Spearman correlation of |map| once every layer "
                            + "is re-initialised, over %d images): %s fail the sanity check, their maps staying above %.1f; "
                            + "%s pass.", randomization.get(0).images(), list(failing), RANDOMIZATION_FAILURE, list(passing)));
        }
        return sentences.isEmpty() ? "No faithfulness or sanity metric was computed." : String.join(" ", sentences);
    }

    /** Who leads on a higher-is-better metric, who beats every control, who does not. */
    private static Optional<String> faithfulness(List<Statistics.Summary> summary, MethodSuite methods, String name) {
        if (summary == null) {
            return Optional.empty();
        }
        Statistics.Summary bestControl = summary.stream().filter(s -> methods.isControl(s.method()))
                .max(Comparator.comparingDouble(Statistics.Summary::high)).orElse(null);
        double bar = bestControl == null ? Double.NEGATIVE_INFINITY : bestControl.high();
        List<String> leaders = new ArrayList<>();
        List<String> beat = new ArrayList<>();
        List<String> noBetter = new ArrayList<>();
        for (Statistics.Summary s : summary) {
            if (methods.isControl(s.method())) {
                continue;
            }
            String entry = String.format(Locale.ROOT, "%s (%.3f)", s.method(), s.mean());
            if (s.rank() == 1) {
                leaders.add(entry);
            }
            (s.low() > bar ? beat : noBetter).add(entry);
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "On %s (higher is better, %d images), %s rank first",
                name, summary.get(0).images(), list(leaders)));
        if (bestControl != null) {
            text.append(String.format(Locale.ROOT, "; %d of %d methods beat every control map (best control: %s), and %s do no "
                    + "better than a control", beat.size(), beat.size() + noBetter.size(),
                    String.format(Locale.ROOT, "%s, %.3f", bestControl.method(), bestControl.mean()), list(noBetter)));
        }
        return Optional.of(text.append('.').toString());
    }

    private static String list(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
