package org.xaiworkbench;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xaiworkbench.model.Backend;

/** Registered for every test class (junit-platform.properties), so ND4J loads the build the CLI would. */
public final class BackendExtension implements BeforeAllCallback {
    static {
        Backend.configure();
        System.setProperty("java.awt.headless", "true");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Backend.configure();
    }
}
