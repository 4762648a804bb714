package io.reseau.cli.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the C heap holds: glibc's {@code mallinfo2} (native-headers/libc_malloc.h). Unlike the
 * resident size, it counts exactly the bytes allocated and not yet freed, whether or not freed
 * memory was reused or given back: what s2n, the JDK's native code and our pooled segments hold.
 * Measurement tooling, not Reseau's: the library never asks; the benchmark and tests that bound
 * native memory do.
 */
@SuppressWarnings("restricted") // linking mallinfo2; the benchmark and the tests run with native access granted
public final class MallocStatistics {
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
            JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
            JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
            JAVA_LONG.withName("keepcost"));
    private static final VarHandle MMAPPED = field("hblkhd");
    private static final VarHandle ALLOCATED = field("uordblks");
    private static final Optional<MethodHandle> CALL = Linker.nativeLinker().defaultLookup().find("mallinfo2")
            .map(symbol -> Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(MALLINFO2)));

    private MallocStatistics() {}

    /**
     * Bytes malloc has handed out and not had back, in all arenas and in mmap'd chunks; empty where
     * the C library does not report it (glibc before 2.33, musl).
     */
    public static OptionalLong bytesInUse() {
        if (CALL.isEmpty()) {
            return OptionalLong.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) CALL.get().invokeExact((SegmentAllocator) arena);
            return OptionalLong.of((long) ALLOCATED.get(info, 0L) + (long) MMAPPED.get(info, 0L));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 failed unexpectedly", t); // invokeExact declares Throwable
        }
    }

    private static VarHandle field(String name) {
        return MALLINFO2.varHandle(MemoryLayout.PathElement.groupElement(name));
    }
}
