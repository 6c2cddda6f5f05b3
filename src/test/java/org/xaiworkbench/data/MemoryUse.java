package org.xaiworkbench.data;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * How much memory a piece of code took: the heap pools' peaks (summed, so an upper bound) over what the heap held
 * before, or the growth of the process's resident memory less any growth of the committed heap, whichever is more.
 * ND4J's array buffers are allocated natively without JavaCPP's count, so only the resident memory sees them; heap
 * the collector commits again after giving it back (at {@code System.gc()}) is not the measured code's native
 * memory, and the heap it does use is counted on its own. A heap that shrinks meanwhile is not counted either way:
 * committed pages that were never touched leave the resident memory as they were.
 */
public final class MemoryUse {
    private static final List<MemoryPoolMXBean> HEAP = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();

    private final long heapBefore;
    private final Resident residentBefore;

    private MemoryUse() {
        HEAP.forEach(MemoryPoolMXBean::resetPeakUsage);
        heapBefore = HEAP.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        residentBefore = Resident.now();
    }

    /** Starts measuring now. */
    public static MemoryUse start() {
        return new MemoryUse();
    }

    /** The most heap taken since {@link #start()}, or the resident memory gained, in bytes. */
    public long bytes() {
        long heapPeak = HEAP.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return Math.max(heapPeak - heapBefore, Resident.now().riseOutsideHeapSince(residentBefore));
    }

    /** The process's resident memory and the JVM's committed heap at one moment. */
    public record Resident(long bytes, long committedHeap) {
        public static Resident now() {
            return new Resident(Pointer.physicalBytes(), Runtime.getRuntime().totalMemory());
        }

        /** The resident memory gained since {@code start}, less the committed heap gained. */
        public long riseOutsideHeapSince(Resident start) {
            return bytes - start.bytes - Math.max(0, committedHeap - start.committedHeap);
        }
    }
}
