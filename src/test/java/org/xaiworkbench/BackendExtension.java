package org.xaiworkbench;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xaiworkbench.cli.DeserializationFilter;
import org.xaiworkbench.model.Backend;

/**
 * Registered for every test class (junit-platform.properties), so ND4J loads the build the CLI would and the
 * deserialization filter is in place before any stream is opened, as {@code Main} puts it.
 */
public final class BackendExtension implements BeforeAllCallback {
    static {
        Backend.configure();
        System.setProperty("java.awt.headless", "true");
        DeserializationFilter.install();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Backend.configure();
    }
}
