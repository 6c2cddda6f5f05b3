package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitWarmupTest {
    private static final long SECOND = 1_000_000_000L;

    /** A fake JVM whose rounds each take one second and keep the compiler busy for the given milliseconds. */
    private static final class FakeJvm {
        final AtomicLong clock = new AtomicLong(5 * SECOND);
        final AtomicLong compiler = new AtomicLong(700);
        final long[] compilingPerRound;
        int round;

        FakeJvm(long... compilingPerRound) {
            this.compilingPerRound = compilingPerRound;
        }

        void round() {
            compiler.addAndGet(compilingPerRound[Math.min(round, compilingPerRound.length - 1)]);
            clock.addAndGet(SECOND);
            round++;
        }
    }

    @Test
    void stopsAtTheFirstRoundWithTheCompilerQuiet() {
        FakeJvm jvm = new FakeJvm(900, 400, 50, 9, 0);
        JitWarmup.Result result = new JitWarmup(jvm.compiler::get, jvm.clock::get).run(jvm::round, 0.01, 100);
        assertEquals(4, result.rounds());
        assertTrue(result.settled());
        assertEquals(4.0, result.seconds(), 1e-9);
        assertEquals(1.359, result.compilerSeconds(), 1e-9);
    }

    @Test
    void givesUpAfterMaxSecondsAndSaysSo() {
        FakeJvm jvm = new FakeJvm(500);
        JitWarmup.Result result = new JitWarmup(jvm.compiler::get, jvm.clock::get).run(jvm::round, 0.01, 3);
        assertEquals(3, result.rounds());
        assertFalse(result.settled());
        assertTrue(result.describe().contains("NOT settled"), result.describe());
    }

    @Test
    void runsOneRoundEvenWithNoTimeAndOneWhenCompilationTimeIsUnreported() {
        FakeJvm busy = new FakeJvm(500);
        assertEquals(1, new JitWarmup(busy.compiler::get, busy.clock::get).run(busy::round, 0.01, 0).rounds());
        FakeJvm unreported = new FakeJvm(0);
        JitWarmup.Result result = new JitWarmup(null, unreported.clock::get).run(unreported::round, 0.01, 100);
        assertEquals(1, result.rounds());
        assertFalse(result.settled());
    }

    @Test
    void rejectsAQuietFractionOutsideZeroToOne() {
        JitWarmup warmup = JitWarmup.ofThisJvm();
        assertThrows(IllegalArgumentException.class, () -> warmup.run(() -> { }, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> warmup.run(() -> { }, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> warmup.run(() -> { }, 0.01, Double.NaN));
    }
}
