package io.reseau.internal.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The per-thread segment the linker writes {@code errno} into, in the same call that set it
 * (reading errno in a separate call would see whatever the JVM did in between).
 */
final class CallState {
    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    // One segment per thread, allocated once. An automatic arena ties its lifetime to the thread's
    // ThreadLocal entry: the few bytes are reclaimed when the thread is gone.
    private static final ThreadLocal<MemorySegment> SEGMENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(LAYOUT));

    private CallState() {}

    static MemorySegment current() {
        return SEGMENT.get();
    }

    /** {@code result}, or {@code -errno} when the call returned -1. */
    static int result(int result, MemorySegment state) {
        return result == -1 ? -(int) ERRNO.get(state, 0L) : result;
    }

    /** {@code result}, or {@code -errno} when the call returned -1. */
    static long result(long result, MemorySegment state) {
        return result == -1 ? -(int) ERRNO.get(state, 0L) : result;
    }
}
