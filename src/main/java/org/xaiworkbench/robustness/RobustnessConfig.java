package org.xaiworkbench.robustness;

import org.xaiworkbench.attack.AttackGoal;
import org.xaiworkbench.attack.Pgd;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a robustness run depends on; recorded in its JSON.
 *
 * @param outDir           accuracy CSV, plots, JSON and the explanation figures
 * @param figuresDir       per-image figures go to figuresDir/&lt;series id&gt;/, the seeds' layout
 * @param limit            first images of the test set to sweep, 0 for all
 * @param batch            images per batch
 * @param seed             seeds every random draw (PGD starts, corruptions)
 * @param epsilons         attack radii in pixel units, increasing from 0
 * @param pgd              PGD at its reference radius; other radii keep its step/ε ratio
 * @param dropoutRates     pixel dropout rates
 * @param noiseSigmas      Gaussian noise standard deviations
 * @param brightnessDeltas brightness shifts
 * @param examples         images drawn as per-image figures (the first of each class, then on)
 * @param explained        of those, how many get saliency and Integrated Gradients before and after PGD
 * @param figureStrengths  strength each series is drawn at in the per-image figures, by series id
 */
public record RobustnessConfig(Path outDir, Path figuresDir, int limit, int batch, long seed, double[] epsilons,
                               Pgd.Options pgd, double[] dropoutRates, double[] noiseSigmas, double[] brightnessDeltas,
                               int examples, int explained, Map<String, Double> figureStrengths) {
    public static final double[] DEFAULT_EPSILONS = {0, 1.0 / 255, 2.0 / 255, 4.0 / 255, 8.0 / 255};
    public static final double[] DEFAULT_DROPOUT_RATES = {0, 0.05, 0.1, 0.2, 0.3, 0.5};
    public static final double[] DEFAULT_NOISE_SIGMAS = {0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3};
    public static final double[] DEFAULT_BRIGHTNESS_DELTAS = {0, 0.1, 0.2, 0.3, 0.4, 0.5};

    public RobustnessConfig {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = the whole test set), got " + limit);
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("--batch must be > 0, got " + batch);
        }
        if (examples < 0 || explained < 0 || explained > examples) {
            throw new IllegalArgumentException("--examples must be >= 0 and --explained in 0..examples, got "
                    + examples + " and " + explained);
        }
        if (pgd.goal() != AttackGoal.UNTARGETED) {
            throw new IllegalArgumentException("accuracy sweeps use untargeted PGD, got " + pgd.goal());
        }
        checkStrengths("--epsilons", epsilons, 1);
        checkStrengths("dropout rates", dropoutRates, 1);
        checkStrengths("noise sigmas", noiseSigmas, 1);
        checkStrengths("brightness deltas", brightnessDeltas, 1);
        epsilons = epsilons.clone();
        dropoutRates = dropoutRates.clone();
        noiseSigmas = noiseSigmas.clone();
        brightnessDeltas = brightnessDeltas.clone();
        figureStrengths = Map.copyOf(figureStrengths);
    }

    public static Map<String, Double> defaultFigureStrengths() {
        Map<String, Double> strengths = new LinkedHashMap<>();
        strengths.put("fgsm", 8.0 / 255);
        strengths.put("pgd", 8.0 / 255);
        strengths.put("pd", 0.1);
        strengths.put("noise", 0.1);
        strengths.put("brightness", 0.3);
        return strengths;
    }

    public static RobustnessConfig defaults(Path outDir, Path figuresDir) {
        return new RobustnessConfig(outDir, figuresDir, 0, 100, 42, DEFAULT_EPSILONS,
                Pgd.Options.defaults().withStopWhenFooled(true),
                DEFAULT_DROPOUT_RATES, DEFAULT_NOISE_SIGMAS, DEFAULT_BRIGHTNESS_DELTAS, 10, 3, defaultFigureStrengths());
    }

    private static void checkStrengths(String name, double[] values, double max) {
        if (values == null || values.length == 0 || values[0] != 0) {
            throw new IllegalArgumentException(name + " must start at 0 (the clean accuracy), got " + Arrays.toString(values));
        }
        for (int i = 1; i < values.length; i++) {
            if (!(values[i] > values[i - 1] && values[i] <= max)) {
                throw new IllegalArgumentException(name + " must increase within [0," + max + "], got " + Arrays.toString(values));
            }
        }
    }

    public double figureStrength(String seriesId) {
        Double strength = figureStrengths.get(seriesId);
        if (strength == null) {
            throw new IllegalArgumentException("no figure strength for " + seriesId + ", have " + figureStrengths.keySet());
        }
        return strength;
    }

    /** The configuration as plain values for the run's JSON. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limit", limit);
        out.put("batch", batch);
        out.put("seed", seed);
        out.put("epsilons", epsilons);
        out.put("pgd", Map.of("epsilon", pgd.epsilon(), "stepSize", pgd.stepSize(), "steps", pgd.steps(),
                "randomStart", pgd.randomStart(), "stopWhenFooled", pgd.stopWhenFooled(),
                "stepSizeRule", "scaled with epsilon, ratio stepSize/epsilon kept"));
        out.put("dropoutRates", dropoutRates);
        out.put("noiseSigmas", noiseSigmas);
        out.put("brightnessDeltas", brightnessDeltas);
        out.put("examples", examples);
        out.put("explained", explained);
        out.put("figureStrengths", new TreeMap<>(figureStrengths));
        out.put("outDir", outDir.toString());
        out.put("figuresDir", figuresDir.toString());
        return out;
    }
}
