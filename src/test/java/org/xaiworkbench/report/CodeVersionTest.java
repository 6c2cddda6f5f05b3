package org.xaiworkbench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CodeVersionTest {
    @Test
    void outsideAGitCheckoutTheCommitIsUnknown(@TempDir Path notACheckout) {
        assertEquals(CodeVersion.UNKNOWN, CodeVersion.describe(notACheckout));
    }

    @Test
    void inThisCheckoutItIsTheShortCommit() {
        Path project = Path.of("").toAbsolutePath();
        assumeTrue(Files.exists(project.resolve(".git")), "the tests run outside a git checkout");
        String version = CodeVersion.describe(project);
        assertTrue(version.matches("[0-9a-f]{7,40}( with uncommitted changes)?"), version);
    }
}
