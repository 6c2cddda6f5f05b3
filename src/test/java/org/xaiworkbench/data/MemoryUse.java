package org.xaiworkbench.data;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * How much memory a piece of code took: the heap pools' peaks (summed, so an upper bound) over what the heap held
 * before, or the growth of the process's resident memory outside the committed heap, whichever is more. ND4J's
 * array buffers are allocated natively without JavaCPP's count, so only the resident memory sees them; the heap is
 * taken out of it because the collector gives committed heap back and touches it again later, which is not the
 * measured code's memory (its heap use is counted on its own).
 */
public final class MemoryUse {
    private static final List<MemoryPoolMXBean> HEAP = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();

    private final long heapBefore;
    private final long residentBefore;

    private MemoryUse() {
        HEAP.forEach(MemoryPoolMXBean::resetPeakUsage);
        heapBefore = HEAP.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        residentBefore = residentOutsideHeap();
    }

    /** Starts measuring now. */
    public static MemoryUse start() {
        return new MemoryUse();
    }

    /** The most heap taken since {@link #start()}, or the resident memory gained, in bytes. */
    public long bytes() {
        long heapPeak = HEAP.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return Math.max(heapPeak - heapBefore, residentOutsideHeap() - residentBefore);
    }

    /** The process's resident memory less the heap the JVM has committed. */
    public static long residentOutsideHeap() {
        return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
    }
}
