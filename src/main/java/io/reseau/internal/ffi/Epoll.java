package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/** epoll (native-headers/libc_epoll.h). Results are values or {@code -errno}. */
public final class Epoll {
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLET = 1 << 31;

    /** {@code struct epoll_event}: the kernel packs it to 12 bytes on x86_64, 16 elsewhere. */
    public static final StructLayout EVENT = isX86_64()
            ? MemoryLayout.structLayout(JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data"))
            : MemoryLayout.structLayout(JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4),
                    JAVA_LONG.withName("data"));
    private static final long DATA_OFFSET = EVENT.byteOffset(MemoryLayout.PathElement.groupElement("data"));

    private static final MethodHandle CREATE1 = Downcalls.quick("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CTL = Downcalls.quick("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle WAIT = Downcalls.blocking("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private Epoll() {}

    public static int create1(int flags) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) CREATE1.invokeExact(state, flags), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** epoll_ctl with an event built from {@code events} and {@code data}; once per subscription. */
    public static int ctl(int epollFd, int operation, int fd, int events, long data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT);
            setEvent(event, 0, events, data);
            MemorySegment state = CallState.current();
            return CallState.result((int) CTL.invokeExact(state, epollFd, operation, fd, event), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Blocks up to {@code timeoutMillis} (-1: forever); the number of events written into {@code events}. */
    public static int wait(int epollFd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) WAIT.invokeExact(state, epollFd, events, maxEvents, timeoutMillis), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int events(MemorySegment events, int index) {
        return events.get(JAVA_INT, index * EVENT.byteSize());
    }

    public static long data(MemorySegment events, int index) {
        return events.get(JAVA_LONG_UNALIGNED, index * EVENT.byteSize() + DATA_OFFSET);
    }

    static void setEvent(MemorySegment events, int index, int mask, long data) {
        events.set(JAVA_INT, index * EVENT.byteSize(), mask);
        events.set(JAVA_LONG_UNALIGNED, index * EVENT.byteSize() + DATA_OFFSET, data);
    }

    private static boolean isX86_64() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
