package org.xaiworkbench.data;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * How much memory a piece of code took at most: the heap pools' peaks (summed, so an upper bound) over what the
 * heap held before, plus the native memory ND4J's arrays hold after it (JavaCPP counts every allocation).
 */
public final class MemoryUse {
    private static final List<MemoryPoolMXBean> HEAP = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();

    private final long heapBefore;
    private final long nativeBefore;

    private MemoryUse() {
        HEAP.forEach(MemoryPoolMXBean::resetPeakUsage);
        heapBefore = HEAP.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        nativeBefore = Pointer.totalBytes();
    }

    /** Starts measuring now. */
    public static MemoryUse start() {
        return new MemoryUse();
    }

    /** The most heap and native memory taken since {@link #start()}, in bytes. */
    public long peakBytes() {
        long heapPeak = HEAP.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return Math.max(0, heapPeak - heapBefore) + Math.max(0, Pointer.totalBytes() - nativeBefore);
    }
}
