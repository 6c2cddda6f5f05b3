package org.xaiworkbench.model.graph;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;

/**
 * One cache of released arrays per thread, shared by every graph that thread runs. SameDiff gives each
 * graph's session a cache of its own, of up to a quarter of ND4J's memory limit; with a graph per score,
 * method kind and row count, those caches together held gigabytes of arrays for reuse, so an evaluation
 * grew far past its working set, and under a process memory cap ran out of memory. Shared, the arrays
 * one call releases serve the next call of any graph, and what is kept has one bound.
 */
final class ArrayCache {
    /** About the intermediate arrays of one large call; beyond it released arrays are freed at once. */
    static final long MAX_BYTES = 512L << 20;
    /** SameDiff's own thresholds: arrays under 1,024 bytes are not cached, a cached array serves up to twice its size. */
    private static final long SMALL_ARRAY_BYTES = 1024;
    private static final double LARGER_ARRAY_MULTIPLE = 2.0;

    private static final ThreadLocal<SessionMemMgr> CACHE = ThreadLocal.withInitial(() -> new ArrayCacheMemoryMgr(
            Math.min(0.25, (double) MAX_BYTES / Pointer.maxBytes()), SMALL_ARRAY_BYTES, LARGER_ARRAY_MULTIPLE));

    private ArrayCache() {
    }

    /** Gives {@code sd} a session for the calling thread that uses the thread's shared cache, unless it has one. */
    static void useFor(SameDiff sd) {
        sd.getSessions().computeIfAbsent(Thread.currentThread().getId(), thread -> {
            InferenceSession session = new InferenceSession(sd);
            session.setMmgr(CACHE.get());
            return session;
        });
    }
}
