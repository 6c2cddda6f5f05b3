package org.xaiworkbench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Chooses the ND4J native build for this CPU and switches DL4J's oneDNN layer helpers on. Must run
 * before the first ND4J class loads; every entry point (CLI, tests) calls {@link #configure()}.
 * Explicit system properties win, so a user can always override the choice (native-config/README.md).
 */
public final class Backend {
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private Backend() {
    }

    public static synchronized void configure() {
        if (System.getProperty(EXTENSION_PROPERTY) == null && cpuBackendPresent()) {
            System.setProperty(EXTENSION_PROPERTY, extensionFor(cpuFlags()));
        }
        if (System.getProperty(HELPERS_PROPERTY) == null) {
            System.setProperty(HELPERS_PROPERTY, "false");
        }
    }

    /** The CUDA profile has no CPU builds, and a CPU extension would make it look for one. */
    private static boolean cpuBackendPresent() {
        try {
            Class.forName("org.nd4j.linalg.cpu.nativecpu.CpuBackend", false, Backend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The javacpp platform extension of the fastest nd4j-native build this CPU can run. */
    static String extensionFor(String cpuFlags) {
        String flags = " " + cpuFlags.toLowerCase(Locale.ROOT) + " ";
        if (flags.contains(" avx512f ") && flags.contains(" avx512bw ")) {
            return "-onednn-avx512";
        }
        if (flags.contains(" avx2 ")) {
            return "-onednn-avx2";
        }
        return "";
    }

    private static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return line.substring(line.indexOf(':') + 1);
                }
            }
        } catch (IOException | SecurityException e) {
            return "";
        }
        return "";
    }

    /** One line naming the native build that really loaded, for logs and metrics.json. */
    public static String describe() {
        // NativeOpsHolder alone does not load the backend; the executioner does.
        org.nd4j.linalg.factory.Nd4j.getExecutioner();
        String info = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        String ext = System.getProperty(EXTENSION_PROPERTY, "");
        return "nd4j-native" + (ext.isEmpty() ? "" : " " + ext.substring(1))
                + (info.contains("HAVE_ONEDNN") ? " (HAVE_ONEDNN)" : " (no oneDNN)")
                + ", threads " + org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads();
    }
}
