package org.xaiworkbench.explain.perturbation;

import org.apache.commons.math3.util.CombinatoricsUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The coalitions KernelSHAP evaluates and their Shapley-kernel weights, chosen as the shap
 * library's KernelExplainer does: coalition sizes are taken in pairs (s, M - s) from the outside in,
 * each size enumerated completely while the budget covers it at its kernel weight
 * (M-1) / (C(M,s) s (M-s)); the remaining budget is drawn at random over the remaining sizes (a
 * random coalition and its complement; repeats add weight instead of samples), and those samples
 * share the kernel weight the enumerated sizes left over. The empty and full coalitions are not
 * included: the efficiency constraint handles them. With a budget of 2^M - 2 every coalition is
 * enumerated and the weights are exact.
 */
final class ShapleyCoalitions {
    final boolean[][] masks;
    final double[] weights;
    /** Whether every coalition of every size was enumerated (the regression then gives exact Shapley values). */
    final boolean exhaustive;

    private ShapleyCoalitions(boolean[][] masks, double[] weights, boolean exhaustive) {
        this.masks = masks;
        this.weights = weights;
        this.exhaustive = exhaustive;
    }

    /** All 2^M - 2 proper coalitions, or budget for larger M. */
    static int effectiveBudget(int players, int budget) {
        return players <= 30 ? (int) Math.min(budget, (1L << players) - 2) : budget;
    }

    static ShapleyCoalitions choose(int players, int budget, SplittableRandom random) {
        int samples = effectiveBudget(players, budget);
        List<boolean[]> masks = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        int sizes = players / 2; // ceil((M - 1) / 2): sizes s and M - s are the same pair
        int pairedSizes = (players - 1) / 2;
        double[] sizeWeight = new double[sizes];
        for (int s = 1; s <= sizes; s++) {
            sizeWeight[s - 1] = (players - 1.0) / (s * (double) (players - s)) * (s <= pairedSizes ? 2 : 1);
        }
        normalise(sizeWeight);

        int fullSizes = 0;
        int left = samples;
        double[] remaining = sizeWeight.clone();
        for (int s = 1; s <= sizes; s++) {
            double subsets = CombinatoricsUtils.binomialCoefficientDouble(players, s) * (s <= pairedSizes ? 2 : 1);
            if (left * remaining[s - 1] / subsets < 1.0 - 1e-8) {
                break;
            }
            fullSizes++;
            left -= (int) subsets;
            if (remaining[s - 1] < 1.0) {
                double scale = 1.0 - remaining[s - 1];
                for (int k = 0; k < remaining.length; k++) {
                    remaining[k] /= scale;
                }
            }
            double weight = sizeWeight[s - 1] / CombinatoricsUtils.binomialCoefficientDouble(players, s)
                    / (s <= pairedSizes ? 2 : 1);
            boolean paired = s <= pairedSizes;
            forEachSubset(players, s, members -> {
                masks.add(members);
                weights.add(weight);
                if (paired) {
                    masks.add(complement(members));
                    weights.add(weight);
                }
            });
        }
        int fixed = masks.size();
        left = samples - fixed;
        if (fullSizes < sizes && left > 0) {
            double[] draw = new double[sizes - fullSizes];
            for (int k = fullSizes; k < sizes; k++) {
                // halved for paired sizes because each draw also adds its complement
                draw[k - fullSizes] = sizeWeight[k] / (k + 1 <= pairedSizes ? 2 : 1);
            }
            normalise(draw);
            Map<String, Integer> seen = new HashMap<>();
            int attempts = 4 * left;
            for (int a = 0; a < attempts && left > 0; a++) {
                int size = fullSizes + 1 + pick(draw, random);
                boolean[] members = randomSubset(players, size, random);
                String key = key(members);
                Integer previous = seen.get(key);
                boolean paired = size <= pairedSizes;
                if (previous == null) {
                    seen.put(key, masks.size());
                    masks.add(members);
                    weights.add(1.0);
                    left--;
                    if (left > 0 && paired) {
                        masks.add(complement(members));
                        weights.add(1.0);
                        left--;
                    }
                } else {
                    weights.set(previous, weights.get(previous) + 1);
                    if (paired && previous + 1 < masks.size()) {
                        weights.set(previous + 1, weights.get(previous + 1) + 1);
                    }
                }
            }
            double weightLeft = 0;
            for (int k = fullSizes; k < sizes; k++) {
                weightLeft += sizeWeight[k];
            }
            double drawn = 0;
            for (int k = fixed; k < weights.size(); k++) {
                drawn += weights.get(k);
            }
            for (int k = fixed; k < weights.size(); k++) {
                weights.set(k, weights.get(k) * weightLeft / drawn);
            }
        }
        double[] w = new double[weights.size()];
        for (int k = 0; k < w.length; k++) {
            w[k] = weights.get(k);
        }
        return new ShapleyCoalitions(masks.toArray(new boolean[0][]), w, fullSizes == sizes);
    }

    private interface SubsetConsumer {
        void accept(boolean[] members);
    }

    /** Every subset of {0..n-1} with k members, in lexicographic order. */
    private static void forEachSubset(int n, int k, SubsetConsumer consumer) {
        int[] index = new int[k];
        for (int j = 0; j < k; j++) {
            index[j] = j;
        }
        while (true) {
            boolean[] members = new boolean[n];
            for (int j : index) {
                members[j] = true;
            }
            consumer.accept(members);
            int j = k - 1;
            while (j >= 0 && index[j] == n - k + j) {
                j--;
            }
            if (j < 0) {
                return;
            }
            index[j]++;
            for (int t = j + 1; t < k; t++) {
                index[t] = index[t - 1] + 1;
            }
        }
    }

    private static boolean[] randomSubset(int n, int k, SplittableRandom random) {
        int[] order = new int[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        boolean[] members = new boolean[n];
        for (int j = 0; j < k; j++) {
            int swap = j + random.nextInt(n - j);
            int t = order[j];
            order[j] = order[swap];
            order[swap] = t;
            members[order[j]] = true;
        }
        return members;
    }

    private static int pick(double[] probabilities, SplittableRandom random) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int k = 0; k < probabilities.length; k++) {
            cumulative += probabilities[k];
            if (u < cumulative) {
                return k;
            }
        }
        return probabilities.length - 1;
    }

    private static boolean[] complement(boolean[] members) {
        boolean[] out = new boolean[members.length];
        for (int j = 0; j < members.length; j++) {
            out[j] = !members[j];
        }
        return out;
    }

    private static String key(boolean[] members) {
        char[] chars = new char[members.length];
        for (int j = 0; j < members.length; j++) {
            chars[j] = members[j] ? '1' : '0';
        }
        return new String(chars);
    }

    private static void normalise(double[] values) {
        double sum = Arrays.stream(values).sum();
        for (int k = 0; k < values.length; k++) {
            values[k] /= sum;
        }
    }
}
