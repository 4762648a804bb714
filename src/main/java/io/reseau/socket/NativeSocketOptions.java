package io.reseau.socket;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import io.reseau.internal.ffi.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * A {@link Socket}'s options as setsockopt/getsockopt calls: the {@link SocketOption}s it supports
 * one by one, and its {@link SocketOptions} applied whole.
 */
final class NativeSocketOptions {
    private static final System.Logger LOG = System.getLogger(Socket.class.getName());

    /** Where an option lives: its setsockopt level and name. */
    private record Key(int level, int name) {}

    /**
     * Options some kernels lack (gVisor; SO_INCOMING_NAPI_ID needs busy polling): supported where a
     * new TCP socket answers for them, as the JDK decides whether to offer them.
     */
    private static final Map<SocketOption<?>, Key> WHERE_THE_KERNEL_HAS_THEM = Map.of(
            ExtendedSocketOptions.TCP_QUICKACK, new Key(SocketCalls.IPPROTO_TCP, SocketCalls.TCP_QUICKACK),
            ExtendedSocketOptions.SO_INCOMING_NAPI_ID, new Key(SocketCalls.SOL_SOCKET, SocketCalls.SO_INCOMING_NAPI_ID));

    static final Set<SocketOption<?>> SUPPORTED = supported();

    /** Read, never set: the kernel reports it. */
    private static final SocketOption<Integer> READ_ONLY = ExtendedSocketOptions.SO_INCOMING_NAPI_ID;

    private NativeSocketOptions() {}

    private static Set<SocketOption<?>> supported() {
        Set<SocketOption<?>> options = new HashSet<>(List.of(
                StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
                StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_LINGER,
                StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS,
                ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT));
        int probe = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM | SocketCalls.SOCK_CLOEXEC, 0);
        if (probe >= 0) {
            WHERE_THE_KERNEL_HAS_THEM.forEach((option, key) -> {
                if (SocketCalls.getIntOption(probe, key.level(), key.name()) >= 0) {
                    options.add(option);
                }
            });
            Libc.close(probe);
        }
        return Set.copyOf(options);
    }

    /**
     * Refuses a null, an unsupported option, and the values the JDK refuses itself: a negative
     * buffer size, a traffic class beyond a byte. The kernel judges the rest (the JDK passes a
     * negative keep-alive timing on, and the kernel refuses it).
     */
    static <T> void checkValue(SocketOption<T> option, T value) {
        Objects.requireNonNull(value, "value");
        requireSupported(option);
        if (option == READ_ONLY) {
            throw new UnsupportedOperationException("'" + option.name() + "' is read-only");
        }
        // The JDK's words for the values it refuses itself.
        if ((option == StandardSocketOptions.SO_SNDBUF || option == StandardSocketOptions.SO_RCVBUF) && (Integer) value < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size");
        }
        if (option == StandardSocketOptions.IP_TOS && ((Integer) value < 0 || (Integer) value > 255)) {
            throw new IllegalArgumentException("Invalid IP_TOS value");
        }
    }

    /**
     * Whether the kernel takes every value {@link #checkValue} passes for {@code option} on an open
     * TCP socket: flags, a traffic class byte, and sizes and a linger time it clamps. The keep-alive
     * timings are not among them (Linux bounds each differently).
     */
    static boolean acceptsEveryCheckedValue(SocketOption<?> option) {
        return option.type() == Boolean.class || option == StandardSocketOptions.IP_TOS
                || option == StandardSocketOptions.SO_LINGER || option == StandardSocketOptions.SO_SNDBUF
                || option == StandardSocketOptions.SO_RCVBUF;
    }

    static <T> void set(int fd, SocketDomain domain, SocketOption<T> option, T value) throws IoErrorException {
        checkValue(option, value);
        if (option == StandardSocketOptions.SO_LINGER) {
            int seconds = (Integer) value;
            setLinger(fd, seconds);
            return;
        }
        int raw = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
        if (option == StandardSocketOptions.IP_TOS && domain == SocketDomain.IPV6) {
            check(SocketCalls.setIntOption(fd, SocketCalls.IPPROTO_IPV6, SocketCalls.IPV6_TCLASS, raw), option);
            SocketCalls.setIntOption(fd, SocketCalls.IPPROTO_IP, SocketCalls.IP_TOS, raw); // for mapped IPv4 peers
            return;
        }
        Key key = keyOf(option, domain);
        check(SocketCalls.setIntOption(fd, key.level(), key.name(), raw), option);
    }

    @SuppressWarnings("unchecked")
    static <T> T get(int fd, SocketDomain domain, SocketOption<T> option) throws IoErrorException {
        requireSupported(option);
        if (option == StandardSocketOptions.SO_LINGER) {
            return (T) Integer.valueOf(getLinger(fd));
        }
        Key key = keyOf(option, domain);
        int raw = check(SocketCalls.getIntOption(fd, key.level(), key.name()), option);
        return (T) (option.type() == Boolean.class ? (Object) (raw != 0) : (Object) raw);
    }

    private static Key keyOf(SocketOption<?> option, SocketDomain domain) {
        if (option == StandardSocketOptions.SO_SNDBUF) {
            return new Key(SocketCalls.SOL_SOCKET, SocketCalls.SO_SNDBUF);
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            return new Key(SocketCalls.SOL_SOCKET, SocketCalls.SO_RCVBUF);
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            return new Key(SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR);
        } else if (option == StandardSocketOptions.SO_REUSEPORT) {
            return new Key(SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT);
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            return new Key(SocketCalls.SOL_SOCKET, SocketCalls.SO_KEEPALIVE);
        } else if (option == StandardSocketOptions.TCP_NODELAY) {
            return new Key(SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY);
        } else if (option == StandardSocketOptions.IP_TOS) {
            return domain == SocketDomain.IPV6 ? new Key(SocketCalls.IPPROTO_IPV6, SocketCalls.IPV6_TCLASS)
                    : new Key(SocketCalls.IPPROTO_IP, SocketCalls.IP_TOS);
        } else if (option == ExtendedSocketOptions.TCP_KEEPIDLE) {
            return new Key(SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPIDLE);
        } else if (option == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            return new Key(SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPINTVL);
        } else if (option == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            return new Key(SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPCNT);
        } else if (WHERE_THE_KERNEL_HAS_THEM.containsKey(option)) {
            return WHERE_THE_KERNEL_HAS_THEM.get(option);
        }
        throw new UnsupportedOperationException("'" + option.name() + "' not supported");
    }

    /** {@code struct linger}: a negative value disables lingering, as StandardSocketOptions.SO_LINGER. */
    private static void setLinger(int fd, int seconds) throws IoErrorException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(JAVA_INT, 2);
            linger.setAtIndex(JAVA_INT, 0, seconds < 0 ? 0 : 1);
            linger.setAtIndex(JAVA_INT, 1, Math.max(0, Math.min(seconds, 65535)));
            check(SocketCalls.setsockopt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_LINGER, linger, 8),
                    StandardSocketOptions.SO_LINGER);
        }
    }

    /** Whether closing {@code fd} now may block: SO_LINGER is on with a time above 0. */
    static boolean lingersOnClose(int fd) {
        try {
            return getLinger(fd) > 0;
        } catch (IoErrorException e) {
            return false; // no such option on this descriptor: nothing to wait for
        }
    }

    private static int getLinger(int fd) throws IoErrorException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(JAVA_INT, 2);
            check(SocketCalls.getsockopt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_LINGER, linger,
                    arena.allocateFrom(JAVA_INT, 8)), StandardSocketOptions.SO_LINGER);
            return linger.getAtIndex(JAVA_INT, 0) == 0 ? -1 : linger.getAtIndex(JAVA_INT, 1);
        }
    }

    /** SO_OOBINLINE: urgent bytes stay in the stream; no standard {@link SocketOption} names it. */
    static void setOutOfBandInline(int fd, boolean inline) throws IoErrorException {
        check(SocketCalls.setIntOption(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_OOBINLINE, inline ? 1 : 0), "SO_OOBINLINE");
    }

    static boolean isOutOfBandInline(int fd) throws IoErrorException {
        return check(SocketCalls.getIntOption(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_OOBINLINE), "SO_OOBINLINE") != 0;
    }

    private static void requireSupported(SocketOption<?> option) {
        if (!SUPPORTED.contains(Objects.requireNonNull(option, "option"))) {
            throw new UnsupportedOperationException("'" + option.name() + "' not supported");
        }
    }

    private static int check(int result, SocketOption<?> option) throws IoErrorException {
        return check(result, option.name());
    }

    private static int check(int result, String optionName) throws IoErrorException {
        if (result < 0) {
            throw IoErrorException.fromErrno((result == -Errno.ENOPROTOOPT ? "unsupported " : "")
                    + "setsockopt/getsockopt " + optionName, -result);
        }
        return result;
    }

    /**
     * Applies a socket's {@link SocketOptions} to its descriptor: address reuse, the interface it is
     * bound to (a bad name is an error), and for TCP no-delay and keep-alive. Like those flags, reuse
     * is only ever turned on here: applying options again never undoes what {@code setOption} turned on.
     */
    static void apply(int fd, SocketOptions applied, Object socket) throws IoErrorException {
        if (applied.reuseAddress()) {
            setOrWarn(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, 1, "SO_REUSEADDR", socket);
        }
        String device = applied.networkInterfaceName();
        if (device != null) {
            if (SocketCalls.ifNameToIndex(device) == 0) {
                throw new IoErrorException(IoError.SOCKET_INVALID_OPTIONS, "no network interface named '" + device + "'");
            }
            try (Arena arena = Arena.ofConfined()) {
                byte[] name = device.getBytes(StandardCharsets.UTF_8);
                MemorySegment value = arena.allocate(name.length + 1);
                MemorySegment.copy(name, 0, value, ValueLayout.JAVA_BYTE, 0, name.length);
                int rc = SocketCalls.setsockopt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_BINDTODEVICE, value, name.length + 1);
                if (rc < 0) {
                    throw new IoErrorException(IoError.SOCKET_INVALID_OPTIONS,
                            "binding to interface '" + device + "' failed with " + Errno.name(-rc));
                }
            }
        }
        if (applied.type() != SocketType.STREAM || applied.domain() == SocketDomain.LOCAL) {
            return;
        }
        if (applied.tcpNoDelay()) {
            setOrWarn(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY, 1, "TCP_NODELAY", socket);
        }
        if (applied.keepAlive()) {
            setOrWarn(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_KEEPALIVE, 1, "SO_KEEPALIVE", socket);
            // Each setting applies on its own (aws-c-io applies idle and interval only together).
            if (applied.keepAliveIdleSeconds() > 0) {
                setOrWarn(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPIDLE, applied.keepAliveIdleSeconds(), "TCP_KEEPIDLE", socket);
            }
            if (applied.keepAliveIntervalSeconds() > 0) {
                setOrWarn(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPINTVL, applied.keepAliveIntervalSeconds(), "TCP_KEEPINTVL", socket);
            }
            if (applied.keepAliveProbes() > 0) {
                setOrWarn(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPCNT, applied.keepAliveProbes(), "TCP_KEEPCNT", socket);
            }
        }
    }

    /** Like aws-c-io, an option the kernel refuses is logged, not fatal. */
    static void setOrWarn(int fd, int level, int name, int value, String label, Object socket) {
        int rc = SocketCalls.setIntOption(fd, level, name, value);
        if (rc < 0) {
            LOG.log(System.Logger.Level.WARNING, label + " not applied to " + socket + ": " + Errno.name(-rc));
        }
    }
}
