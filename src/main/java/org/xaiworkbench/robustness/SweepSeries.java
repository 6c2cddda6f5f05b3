package org.xaiworkbench.robustness;

import java.util.Arrays;

/**
 * One curve of an accuracy sweep.
 *
 * @param id           short id for files and folders ("fgsm", "pgd", "pd", "noise", "brightness")
 * @param title        legend text
 * @param strengthName the option the strengths are values of ("epsilon", "rate", ...)
 * @param strengths    increasing, starting at 0 (the clean accuracy)
 * @param axisScale    factor from strength to plotted value (255 plots ε in units of 1/255)
 * @param axisTitle    x-axis title of this curve's plot
 */
public record SweepSeries(String id, String title, String strengthName, double[] strengths, double axisScale,
                          String axisTitle, Perturbation perturbation) {
    public SweepSeries {
        if (strengths == null || strengths.length == 0) {
            throw new IllegalArgumentException(id + " strengths must not be empty");
        }
        for (int i = 0; i < strengths.length; i++) {
            if (!(strengths[i] >= 0) || (i > 0 && strengths[i] <= strengths[i - 1])) {
                throw new IllegalArgumentException(id + " " + strengthName + " values must be >= 0 and increasing, got "
                        + Arrays.toString(strengths));
            }
        }
        strengths = strengths.clone();
    }
}
