package org.xaiworkbench.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Repeats a workload until the JIT compiler has gone quiet, so that benchmarks time the steady state
 * rather than the compiler. On this 2-core machine C2 spends ~12 s of CPU compiling ND4J's and
 * SameDiff's Java side during the first calls of a JVM, and while it runs it takes a core from the two
 * OpenMP threads, whose barriers then wait for it: a single image's gradient took 30-60 ms per call
 * for the first ~12 s and 11 ms once compilation had stopped. A fixed warm-up time either wastes
 * minutes or times the compiler.
 */
final class JitWarmup {
    /** A round with the compiler busy for at most this share of its time counts as steady state. */
    static final double QUIET_FRACTION = 0.01;

    /** How the warm-up ended; settled is false when the time ran out or the JVM does not report compilation time. */
    record Result(int rounds, double seconds, double compilerSeconds, boolean settled) {
        String describe() {
            return String.format(Locale.ROOT, "JIT warm-up: %d rounds in %.1f s, compiler busy %.1f s; %s", rounds, seconds,
                    compilerSeconds, settled ? "settled" : "NOT settled, timings may include compilation");
        }
    }

    private final LongSupplier compilerMillis;
    private final LongSupplier nanoTime;

    /**
     * @param compilerMillis total JIT compilation time so far, in ms; null when the JVM does not report it
     * @param nanoTime       a monotonic clock
     */
    JitWarmup(LongSupplier compilerMillis, LongSupplier nanoTime) {
        this.compilerMillis = compilerMillis;
        this.nanoTime = nanoTime;
    }

    static JitWarmup ofThisJvm() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        boolean reported = bean != null && bean.isCompilationTimeMonitoringSupported();
        return new JitWarmup(reported ? bean::getTotalCompilationTime : null, System::nanoTime);
    }

    /**
     * Runs {@code round} until, in one round, the compiler was busy for at most {@code quietFraction}
     * of the round's wall time, or until {@code maxSeconds} have passed (then at least one round).
     */
    Result run(Runnable round, double quietFraction, double maxSeconds) {
        if (!(quietFraction >= 0 && quietFraction < 1) || !(maxSeconds >= 0)) {
            throw new IllegalArgumentException("quiet fraction must be in [0,1) and max seconds >= 0, got "
                    + quietFraction + ", " + maxSeconds);
        }
        long start = nanoTime.getAsLong();
        if (compilerMillis == null) {
            round.run();
            return new Result(1, (nanoTime.getAsLong() - start) / 1e9, 0, false);
        }
        long compilerStart = compilerMillis.getAsLong();
        int rounds = 0;
        boolean settled;
        long now = start;
        do {
            long roundStart = now;
            long compilerBefore = compilerMillis.getAsLong();
            round.run();
            rounds++;
            now = nanoTime.getAsLong();
            settled = (compilerMillis.getAsLong() - compilerBefore) / 1e3 <= quietFraction * (now - roundStart) / 1e9;
        } while (!settled && now - start < maxSeconds * 1e9);
        return new Result(rounds, (now - start) / 1e9, (compilerMillis.getAsLong() - compilerStart) / 1e3, settled);
    }
}
