package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peers' BLAS check (src/peer/fair_blas.py): a speed comparison is timed only on the BLAS a pip wheel
 * brings, and only when both sides run the same number of threads.
 */
class PeerBlasTest {
    private static String python(String program) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/usr/bin/python3", "-c", program).directory(new java.io.File("src/peer"))
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python finishes");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    private static String verdict(String libraries, String config) throws IOException, InterruptedException {
        return python("import fair_blas; print(fair_blas.blas_verdict([" + libraries + "], '" + config + "'))");
    }

    @Test
    void onlyTheBlasOfPipWheelsIsFair() throws Exception {
        assertEquals("None", verdict("'/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3'", ""));
        assertEquals("None", verdict("'/opt/venv/lib/libmkl_rt.so.2'", ""));
        assertEquals("None", verdict("", "BLAS_INFO=mkl, LAPACK_INFO=mkl"));
        assertTrue(verdict("'/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'", "").startsWith("the reference BLAS"));
        assertTrue(verdict("'/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'", "").contains("pthreads"));
        assertTrue(verdict("", "BLAS_INFO=generic").startsWith("no BLAS"));
    }

    @Test
    void bothSidesMustRunTheSameNumberOfThreads() throws Exception {
        String check = "import fair_blas\ntry:\n    fair_blas.require_same_threads('x\\nbackend: nd4j-native, threads %d\\n', 2, 't')\n"
                + "    print('timed')\nexcept SystemExit as e:\n    print('refused', e)";
        assertEquals("timed", python(check.formatted(2)));
        String refused = python(check.formatted(1));
        assertTrue(refused.startsWith("refused") && refused.contains("1 threads"), refused);
    }
}
