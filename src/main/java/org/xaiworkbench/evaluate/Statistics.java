package org.xaiworkbench.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Means with seeded 95 % percentile-bootstrap intervals, and ranks in which overlapping intervals tie. */
public final class Statistics {
    private Statistics() {
    }

    /** A method's mean over images with its interval, and its rank (0 for descriptors). */
    public record Summary(String method, double mean, double low, double high, int images, int rank) {
    }

    /** The mean of {@code values} with the 2.5 and 97.5 percentiles of {@code resamples} bootstrap means. */
    public static double[] meanInterval(double[] values, int resamples, long seed) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int k = 0; k < values.length; k++) {
                sum += values[random.nextInt(values.length)];
            }
            means[b] = sum / values.length;
        }
        Arrays.sort(means);
        return new double[]{mean, percentile(means, 0.025), percentile(means, 0.975)};
    }

    /**
     * Per method, mean, interval and rank: a method's rank is 1 plus the number of methods whose whole
     * interval lies on the better side of its own, so methods whose intervals overlap share a rank.
     */
    public static List<Summary> summarise(Map<String, double[]> valuesByMethod, Direction direction, int resamples, long seed) {
        Map<String, double[]> intervals = new LinkedHashMap<>();
        valuesByMethod.forEach((method, values) -> intervals.put(method,
                meanInterval(values, resamples, seed ^ method.hashCode() * 0x9E3779B97F4A7C15L)));
        List<Summary> out = new ArrayList<>();
        intervals.forEach((method, own) -> {
            int rank = 0;
            if (direction != Direction.DESCRIPTOR) {
                rank = 1;
                for (double[] other : intervals.values()) {
                    boolean clearlyBetter = direction == Direction.HIGHER ? other[1] > own[2] : other[2] < own[1];
                    if (clearlyBetter) {
                        rank++;
                    }
                }
            }
            out.add(new Summary(method, own[0], own[1], own[2], valuesByMethod.get(method).length, rank));
        });
        return out;
    }

    /** Linear interpolation between closest ranks, as numpy's default. */
    static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
