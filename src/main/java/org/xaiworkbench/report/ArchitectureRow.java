package org.xaiworkbench.report;

import java.util.Locale;

/** One module of the network for the model card: its name, what it is, the shape it outputs and its parameters. */
public record ArchitectureRow(String module, String layer, String output, long parameters) {
    public String parametersText() {
        return parameters == 0 ? "–" : String.format(Locale.ROOT, "%,d", parameters);
    }
}
