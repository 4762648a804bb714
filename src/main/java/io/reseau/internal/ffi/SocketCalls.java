package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** BSD socket calls (native-headers/libc_socket.h). Results are values or {@code -errno}. */
public final class SocketCalls {
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;

    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_INCOMING_NAPI_ID = 56;
    public static final int IP_TOS = 1;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_TCLASS = 67;

    public static final int TCP_NODELAY = 1;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_QUICKACK = 12;

    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;

    /** ioctl request: the bytes a socket has received and not yet read. */
    public static final long FIONREAD = 0x541B;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private static final MethodHandle SOCKET = Downcalls.quick("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Downcalls.quick("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = Downcalls.quick("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = Downcalls.quick("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = Downcalls.quick("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = Downcalls.quickWithHeap("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = Downcalls.quickWithHeap("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IOCTL_INT = Downcalls.quick("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), java.lang.foreign.Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SENDMSG = Downcalls.quick("sendmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Downcalls.quick("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Downcalls.quick("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Downcalls.quick("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = Downcalls.quick("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = Downcalls.quick("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle INET_PTON = Downcalls.quickNoErrno("inet_pton",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle IF_NAMETOINDEX = Downcalls.quickNoErrno("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /** Longest interface name, with its terminating NUL. */
    public static final int IFNAMSIZ = 16;

    private SocketCalls() {}

    public static int socket(int domain, int type, int protocol) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int bind(int fd, MemorySegment address, int length) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) BIND.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int listen(int fd, int backlog) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) LISTEN.invokeExact(state, fd, backlog), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code address} receives the peer's sockaddr and {@code length} (an int, set by the caller to
     * the capacity of {@code address}) its length; both may be {@link MemorySegment#NULL}.
     */
    public static int accept4(int fd, MemorySegment address, MemorySegment length, int flags) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) ACCEPT4.invokeExact(state, fd, address, length, flags), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int connect(int fd, MemorySegment address, int length) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) CONNECT.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code struct msghdr}: here only to carry an iovec array (no address, no control data). */
    public static final java.lang.foreign.StructLayout MSGHDR = java.lang.foreign.MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), java.lang.foreign.MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), java.lang.foreign.MemoryLayout.paddingLayout(4));
    public static final long MSGHDR_IOV = 16;
    public static final long MSGHDR_IOVLEN = 24;

    /** sendmsg: a gathered send (see {@link #MSGHDR}) that, with MSG_NOSIGNAL, never raises SIGPIPE. */
    public static long sendmsg(int fd, MemorySegment message, int flags) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((long) SENDMSG.invokeExact(state, fd, message, flags), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code buffer} may be native or a heap segment ({@code MemorySegment.ofArray}). */
    public static long send(int fd, MemorySegment buffer, long length, int flags) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((long) SEND.invokeExact(state, fd, buffer, length, flags), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code buffer} may be native or a heap segment ({@code MemorySegment.ofArray}). */
    public static long recv(int fd, MemorySegment buffer, long length, int flags) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((long) RECV.invokeExact(state, fd, buffer, length, flags), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int shutdown(int fd, int how) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) SHUTDOWN.invokeExact(state, fd, how), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code length} is an int holding the capacity of {@code value}; it receives the real length. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code length} is an int holding the capacity of {@code address}; it receives the real length. */
    public static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) GETSOCKNAME.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code length} is an int holding the capacity of {@code address}; it receives the real length. */
    public static int getpeername(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment state = CallState.current();
        try {
            return CallState.result((int) GETPEERNAME.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Parses an address literal of {@code family} (AF_INET or AF_INET6) the way libc does: the 4 or
     * 16 address bytes, or null when {@code text} is not such an address.
     */
    public static byte[] inetPton(int family, String text) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(16);
            int rc = (int) INET_PTON.invokeExact(family, arena.allocateFrom(text), address);
            return rc == 1 ? address.asSlice(0, family == AF_INET ? 4 : 16).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE) : null;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The interface's index, or 0 when there is no interface of that name. */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** setsockopt with an int value: socket setup, not a hot path, so it allocates its argument. */
    public static int setIntOption(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            return setsockopt(fd, level, name, arena.allocateFrom(JAVA_INT, value), Integer.BYTES);
        }
    }

    /** ioctl({@code fd}, {@code request}, &int): the int the call fills in, or {@code -errno}. */
    public static int ioctlInt(int fd, long request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment state = CallState.current();
            int rc = CallState.result((int) IOCTL_INT.invokeExact(state, fd, request, value), state);
            return rc < 0 ? rc : value.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** getsockopt of an int value: the value (≥ 0 for every option read this way) or {@code -errno}. */
    public static int getIntOption(int fd, int level, int name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            int rc = getsockopt(fd, level, name, value, arena.allocateFrom(JAVA_INT, Integer.BYTES));
            return rc < 0 ? rc : value.get(JAVA_INT, 0);
        }
    }
}
