package io.reseau.internal.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Builds the downcall handles and upcall stubs of this package: the one place Reseau links native code. */
@SuppressWarnings("restricted") // linking is what this class is for; the module is granted native access
final class Downcalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    // Non-blocking system calls finish in microseconds; skipping the thread-state transition
    // roughly halves their call overhead. Anything that can block must not use it: a critical
    // call holds off safepoints (and so the GC) for as long as it runs.
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);
    // The same, and arrays may be passed as they are: the kernel copies straight from the Java heap.
    private static final Linker.Option CRITICAL_HEAP = Linker.Option.critical(true);

    private Downcalls() {}

    /** A call that never blocks (non-blocking fds, socket setup); its errno is captured. */
    static MethodHandle quick(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        return LINKER.downcallHandle(symbol(name), descriptor, options(extra, ERRNO, CRITICAL));
    }

    /** A quick call that may also be given heap segments (byte arrays); its errno is captured. */
    static MethodHandle quickWithHeap(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, ERRNO, CRITICAL_HEAP);
    }

    /** A call that may block (epoll_wait, close with a linger); its errno is captured. */
    static MethodHandle blocking(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, ERRNO);
    }

    /** A call that may block and reports failures by its return value alone. */
    static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** A quick call whose failure is reported by its return value alone. */
    static MethodHandle quickNoErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CRITICAL);
    }

    /**
     * A call into another library (s2n): no errno capture (it reports errors its own way) and no
     * critical mode (its calls may call back into Java, which critical calls must not).
     */
    static MethodHandle in(SymbolLookup library, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(library.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the native library has no symbol " + name)), descriptor);
    }

    /** A native function pointer that calls {@code target}; it lives as long as the JVM. */
    static java.lang.foreign.MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor) {
        return LINKER.upcallStub(target, descriptor, java.lang.foreign.Arena.global());
    }

    /** invokeExact declares Throwable; only errors and unchecked exceptions can really arrive. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed unexpectedly", t);
    }

    private static java.lang.foreign.MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    private static Linker.Option[] options(Linker.Option[] extra, Linker.Option... base) {
        Linker.Option[] all = new Linker.Option[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }
}
