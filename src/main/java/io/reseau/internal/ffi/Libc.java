package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/** File-descriptor calls (native-headers/libc_fd.h). Results are values or {@code -errno}. */
public final class Libc {
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;

    /** {@code struct iovec}: base pointer and length. */
    public static final StructLayout IOVEC =
            MemoryLayout.structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));

    // read and write may be given a heap segment: a pipe's blocking ends copy straight between the
    // kernel and the caller's array.
    private static final MethodHandle READ = Downcalls.quickWithHeap("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = Downcalls.quickWithHeap("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READV = Downcalls.quick("readv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WRITEV = Downcalls.quick("writev",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    // close() lingers (blocks) on a socket with SO_LINGER set.
    private static final MethodHandle CLOSE = Downcalls.blocking("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FCNTL = Downcalls.quick("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PIPE2 = Downcalls.quick("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EVENTFD = Downcalls.quick("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // The wake-up path calls these from any thread, virtual ones included; without errno capture
    // they need no per-thread state, and their only failures (EAGAIN, EBADF) show in the result.
    private static final MethodHandle EVENTFD_READ = Downcalls.quickNoErrno("eventfd_read",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EVENTFD_WRITE = Downcalls.quickNoErrno("eventfd_write",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle ERRNO_LOCATION = Downcalls.quickNoErrno("__errno_location",
            FunctionDescriptor.of(ADDRESS));
    // Not a critical call, though it returns at once when nothing else wants the processor: when
    // something does, this thread waits its turn, and a critical call would hold off safepoints meanwhile.
    private static final MethodHandle SCHED_YIELD = Downcalls.plain("sched_yield",
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SETENV = Downcalls.quick("setenv",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    private Libc() {}

    /** {@code buffer} may be a heap segment. */
    public static long read(int fd, MemorySegment buffer, long count) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((long) READ.invokeExact(state, fd, buffer, count), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code buffer} may be a heap segment. */
    public static long write(int fd, MemorySegment buffer, long count) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((long) WRITE.invokeExact(state, fd, buffer, count), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code iovecs} holds {@code count} {@link #IOVEC} entries. */
    public static long readv(int fd, MemorySegment iovecs, int count) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((long) READV.invokeExact(state, fd, iovecs, count), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code iovecs} holds {@code count} {@link #IOVEC} entries. */
    public static long writev(int fd, MemorySegment iovecs, int count) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((long) WRITEV.invokeExact(state, fd, iovecs, count), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Never retry on EINTR: Linux has released the descriptor either way. */
    public static int close(int fd) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int fcntl(int fd, int command, int argument) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) FCNTL.invokeExact(state, fd, command, argument), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code fds} receives two ints: the read end, then the write end. */
    public static int pipe2(MemorySegment fds, int flags) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) PIPE2.invokeExact(state, fds, flags), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int eventfd(int initialValue, int flags) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) EVENTFD.invokeExact(state, initialValue, flags), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Reads and resets the counter into {@code value} (8 bytes); 0 on success, -1 on failure. */
    public static int eventfdRead(int fd, MemorySegment value) {
        try {
            return (int) EVENTFD_READ.invokeExact(fd, value);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Gives this OS thread's processor to another runnable thread, if there is one. On a virtual
     * thread it yields the carrier, which {@link Thread#yield()} does not: a virtual thread that
     * polls with that alone keeps an event loop sharing its processor from running.
     */
    public static void schedYield() {
        try {
            int alwaysZero = (int) SCHED_YIELD.invokeExact();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Adds {@code value} to the counter; 0 on success, -1 on failure. */
    public static int eventfdWrite(int fd, long value) {
        try {
            return (int) EVENTFD_WRITE.invokeExact(fd, value);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Sets this thread's C {@code errno}: how a callback that native code calls (an upcall) says
     * why it returned -1. Must be its last act before returning: anything after may change errno.
     */
    public static void setErrno(int value) {
        try {
            ((MemorySegment) ERRNO_LOCATION.invokeExact()).reinterpret(Integer.BYTES).set(JAVA_INT, 0, value);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int setenv(String name, String value, boolean overwrite) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CallState.current();
            return CallState.result((int) SETENV.invokeExact(state,
                    arena.allocateFrom(name), arena.allocateFrom(value), overwrite ? 1 : 0), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
