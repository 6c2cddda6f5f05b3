package org.nd4j.nativeblas;

import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1.
 *
 * <p>{@code BaseMKLDNNHelper.mklDnnEnabled()} looks this class up by name (it moved in M2.1 to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and lost {@code isUseMKLDNN}); when the
 * lookup fails every oneDNN layer helper is dropped as "not supported" and training runs ~10x
 * slower. The answer given here is the truth about the loaded native build: oneDNN is usable when
 * the build info says {@code HAVE_ONEDNN}.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
        }
    }
}
