package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Native memory of one owner that frees it explicitly ({@code malloc} / {@code free}), for an
 * owner that is used from any thread and lives shorter than the process: a shared arena would
 * do, but closing one makes every thread of the JVM stop at a handshake (tens of microseconds,
 * measured), once per owner. The owner must make sure nothing uses the memory after {@link #free}.
 */
public final class NativeMemory {
    // Not critical calls: malloc may wait for a lock of the allocator.
    private static final MethodHandle MALLOC = Downcalls.plain("malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = Downcalls.plain("free", FunctionDescriptor.ofVoid(ADDRESS));

    private NativeMemory() {}

    /** {@code size} bytes, not zeroed. */
    @SuppressWarnings("restricted") // sizing what malloc returned
    public static MemorySegment allocate(long size) {
        MemorySegment block;
        try {
            block = (MemorySegment) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
        if (block.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("malloc(" + size + ") failed");
        }
        return block.reinterpret(size);
    }

    /** Gives back what {@link #allocate} returned; NULL does nothing. */
    public static void free(MemorySegment block) {
        try {
            FREE.invokeExact(block);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
