package org.xaiworkbench.evaluate;

import org.xaiworkbench.evaluate.faithfulness.InsertionMinusDeletion;
import org.xaiworkbench.evaluate.faithfulness.RoadCombined;
import org.xaiworkbench.evaluate.randomization.ModelRandomization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the numbers say, for a person: which maps to trust on this model, which beat the control maps on
 * one faithfulness headline only, which on none, and which fail the sanity check. One sentence per
 * finding, each method named once among the faithfulness groups; the numbers stay in the tables. Every
 * name comes from the run; nothing is hard-coded but the rules below.
 */
final class Verdict {
    /**
     * A method fails model randomization when its map's mean rank correlation with the map on the fully
     * randomized model stays above this: the map is then more alike than not across a trained and a
     * destroyed model.
     */
    static final double RANDOMIZATION_FAILURE = 0.5;
    /** Below this many images a bootstrap interval of a mean is itself rough: the verdict says it is provisional. */
    static final int PROVISIONAL_BELOW = 30;

    /** The faithfulness headlines, by metric id, with the name a sentence gives each. */
    private static final Map<String, String> HEADLINES = new LinkedHashMap<>();

    static {
        HEADLINES.put(InsertionMinusDeletion.ID, "insertion − deletion");
        HEADLINES.put(RoadCombined.ID, "ROAD");
    }

    private Verdict() {
    }

    static String of(Map<String, List<Statistics.Summary>> summaries, MethodSuite methods) {
        Map<String, List<Statistics.Summary>> headlines = new LinkedHashMap<>();
        HEADLINES.keySet().forEach(id -> {
            if (summaries.containsKey(id)) {
                headlines.put(id, summaries.get(id));
            }
        });
        List<Statistics.Summary> randomization = summaries.get(ModelRandomization.ID);
        if (headlines.isEmpty() && randomization == null) {
            return "No faithfulness or sanity metric was computed.";
        }
        List<String> sentences = new ArrayList<>();
        int images = (headlines.isEmpty() ? randomization : headlines.values().iterator().next()).get(0).images();
        if (images < PROVISIONAL_BELOW) {
            sentences.add(String.format(Locale.ROOT, "With %d images every finding below is provisional: below %d images the "
                    + "intervals are themselves rough.", images, PROVISIONAL_BELOW));
        }
        List<String> failing = randomization == null ? List.of() : randomization.stream()
                .filter(s -> !methods.isControl(s.method()) && s.mean() > RANDOMIZATION_FAILURE).map(Statistics.Summary::method).toList();
        List<String> named = headlines.isEmpty() ? List.of() : faithfulness(headlines, methods, failing, sentences);
        List<String> unnamed = failing.stream().filter(m -> !named.contains(m)).toList();
        if (randomization != null && (failing.isEmpty() || !unnamed.isEmpty())) {
            sentences.add(failing.isEmpty()
                    ? String.format(Locale.ROOT, "Every method passes the model-randomization check (%d images); the control maps, "
                    + "which ignore the model, fail it as they should.", randomization.get(0).images())
                    : String.format(Locale.ROOT, "Fail the model-randomization check, their maps staying alike once every layer is "
                    + "re-initialised (%d images): %s.", randomization.get(0).images(), names(unnamed)));
        }
        return String.join(" ", sentences);
    }

    /**
     * Groups the methods by the headlines on which they beat every control, and says what N would separate
     * them where none does; returns the methods already said to fail the randomization check.
     */
    private static List<String> faithfulness(Map<String, List<Statistics.Summary>> headlines, MethodSuite methods, List<String> failing,
                                     List<String> sentences) {
        Map<String, List<String>> beatenOn = new LinkedHashMap<>();
        for (Map.Entry<String, List<Statistics.Summary>> headline : headlines.entrySet()) {
            double bar = bestControl(headline.getValue(), methods).map(Statistics.Summary::high).orElse(Double.NEGATIVE_INFINITY);
            for (Statistics.Summary s : headline.getValue()) {
                if (!methods.isControl(s.method())) {
                    List<String> on = beatenOn.computeIfAbsent(s.method(), m -> new ArrayList<>());
                    if (s.low() > bar) {
                        on.add(headline.getKey());
                    }
                }
            }
        }
        String all = names(headlines.keySet().stream().map(HEADLINES::get).toList());
        List<String> trusted = new ArrayList<>();
        List<String> insane = new ArrayList<>();
        List<String> none = new ArrayList<>();
        Map<String, List<String>> partly = new LinkedHashMap<>();
        beatenOn.forEach((method, on) -> {
            if (on.size() == headlines.size()) {
                (failing.contains(method) ? insane : trusted).add(method);
            } else if (on.isEmpty()) {
                none.add(method);
            } else {
                partly.computeIfAbsent(names(on.stream().map(HEADLINES::get).toList()), k -> new ArrayList<>()).add(method);
            }
        });
        int images = headlines.values().iterator().next().get(0).images();
        sentences.add(trusted.isEmpty()
                ? String.format(Locale.ROOT, "No method beats every control map on %s over %d images, so none can be trusted on "
                + "this model yet.", all, images)
                : String.format(Locale.ROOT, "Trust %s on this model: %s every control map on %s over %d images%s.", names(trusted),
                trusted.size() == 1 ? "it beats" : "they beat", all, images,
                failing.isEmpty() ? "" : " and " + (trusted.size() == 1 ? "passes" : "pass") + " the randomization check"));
        if (!insane.isEmpty()) {
            sentences.add(String.format(Locale.ROOT, "Beat every control map on %s but fail the randomization check, so their maps "
                    + "do not follow the model: %s.", all, names(insane)));
        }
        partly.forEach((on, group) -> sentences.add(String.format(Locale.ROOT, "Beat every control map on %s only: %s.", on,
                names(group))));
        if (!none.isEmpty()) {
            sentences.add(String.format(Locale.ROOT, "No better than a control map on %s: %s.", headlines.size() == 1 ? all
                    : "either " + String.join(" or ", headlines.keySet().stream().map(HEADLINES::get).toList()), names(none)));
        }
        if (trusted.isEmpty() && insane.isEmpty()) {
            Map.Entry<String, List<Statistics.Summary>> first = headlines.entrySet().iterator().next();
            separation(first.getValue(), methods, HEADLINES.get(first.getKey())).ifPresent(sentences::add);
        }
        return insane;
    }

    /**
     * How many images would separate the leading method from the best control if their means held: the
     * intervals narrow as 1/sqrt(N), so they part once N grows by ((leader's + control's half-widths) / gap)^2.
     */
    private static Optional<String> separation(List<Statistics.Summary> summary, MethodSuite methods, String name) {
        Optional<Statistics.Summary> control = bestControl(summary, methods);
        Optional<Statistics.Summary> leader = summary.stream().filter(s -> !methods.isControl(s.method()))
                .max(Comparator.comparingDouble(Statistics.Summary::mean));
        if (control.isEmpty() || leader.isEmpty()) {
            return Optional.empty();
        }
        Statistics.Summary c = control.get();
        Statistics.Summary l = leader.get();
        double gap = l.mean() - c.mean();
        if (!(gap > 0)) {
            return Optional.of(String.format(Locale.ROOT, "On %s the best method, %s, scores no higher than the best "
                    + "control map, %s: more images would not change that.", name, l.method(), c.method()));
        }
        double widths = (l.high() - l.low()) / 2 + (c.high() - c.low()) / 2;
        // less a rounding error, so that an exact square (4x 10 images) is not rounded up to 41
        long needed = (long) Math.ceil(l.images() * Math.pow(widths / gap, 2) - 1e-9);
        return Optional.of(String.format(Locale.ROOT, "If the means held, about %,d images would separate the best "
                + "method on %s, %s, from the best control map, %s.", Math.max(needed, l.images() + 1L), name, l.method(), c.method()));
    }

    /** The control whose interval reaches highest: a method must clear it to beat every control. */
    private static Optional<Statistics.Summary> bestControl(List<Statistics.Summary> summary, MethodSuite methods) {
        return summary.stream().filter(s -> methods.isControl(s.method())).max(Comparator.comparingDouble(Statistics.Summary::high));
    }

    /** "a", "a and b", "a, b and c". */
    private static String names(List<String> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "none" : items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
