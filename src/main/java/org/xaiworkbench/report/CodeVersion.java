package org.xaiworkbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Which commit of the code built the page, as git tells it; "unknown" outside a checkout or without git. */
public final class CodeVersion {
    public static final String UNKNOWN = "unknown";

    private CodeVersion() {
    }

    /** "abc1234", "abc1234 with uncommitted changes", or {@link #UNKNOWN}. */
    public static String describe(Path dir) {
        Optional<String> commit = git(dir, "rev-parse", "--short", "HEAD");
        if (commit.isEmpty() || commit.get().isEmpty()) {
            return UNKNOWN;
        }
        boolean changed = git(dir, "status", "--porcelain", "--untracked-files=no").map(s -> !s.isEmpty()).orElse(false);
        return commit.get() + (changed ? " with uncommitted changes" : "");
    }

    /** git's output when it ran and succeeded; empty when git is missing, fails or hangs. */
    private static Optional<String> git(Path dir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
