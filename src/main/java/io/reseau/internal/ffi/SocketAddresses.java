package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * {@code sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un} (native-headers/libc_socket.h),
 * converted from and to {@link InetSocketAddress} and {@link UnixDomainSocketAddress}.
 */
public final class SocketAddresses {
    private static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"), NET_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"), NET_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id"));
    public static final int UNIX_PATH_CAPACITY = 108;
    public static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(UNIX_PATH_CAPACITY, JAVA_BYTE).withName("sun_path"));
    /** Room for any address family: the size and alignment of {@code struct sockaddr_storage}. */
    public static final MemoryLayout SOCKADDR_STORAGE = MemoryLayout.sequenceLayout(16, JAVA_LONG);

    private static final long IN_ADDR = 4;
    private static final long IN6_ADDR = 8;
    private static final long IN6_SCOPE = 24;
    private static final long UN_PATH = 2;
    // Unix socket paths are file names: the JDK encodes them with the file-system charset.
    private static final Charset PATH_CHARSET =
            Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private SocketAddresses() {}

    /** The family a socket needs for {@code address}: AF_INET, AF_INET6 or AF_UNIX. */
    public static int familyOf(SocketAddress address) {
        return switch (address) {
            case UnixDomainSocketAddress unix -> SocketCalls.AF_UNIX;
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address -> SocketCalls.AF_INET6;
            case InetSocketAddress inet -> SocketCalls.AF_INET;
            default -> throw new IllegalArgumentException("unsupported address type: " + address.getClass().getName());
        };
    }

    /**
     * Writes {@code address} as a sockaddr of {@code family} into {@code target} and returns the length
     * to pass with it. An IPv4 address written for AF_INET6 becomes IPv4-mapped ({@code ::ffff:a.b.c.d}).
     *
     * @throws IllegalArgumentException for an unresolved host, an IPv6 address for AF_INET, a Unix
     *     path that does not fit {@code sun_path}, or a segment too small
     */
    public static int write(SocketAddress address, int family, MemorySegment target) {
        if (target.byteSize() < SOCKADDR_STORAGE.byteSize()) {
            throw new IllegalArgumentException("a sockaddr needs " + SOCKADDR_STORAGE.byteSize() + " bytes");
        }
        target.asSlice(0, SOCKADDR_STORAGE.byteSize()).fill((byte) 0);
        switch (address) {
            case UnixDomainSocketAddress unix when family == SocketCalls.AF_UNIX -> {
                return writeUnix(unix.getPath(), target);
            }
            case InetSocketAddress inet when family == SocketCalls.AF_INET || family == SocketCalls.AF_INET6 -> {
                if (inet.isUnresolved()) {
                    throw new IllegalArgumentException("unresolved address: " + inet.getHostString());
                }
                return family == SocketCalls.AF_INET
                        ? writeIpv4(inet.getAddress(), inet.getPort(), target)
                        : writeIpv6(inet.getAddress(), inet.getPort(), target);
            }
            default -> throw new IllegalArgumentException(address + " cannot be written as address family " + family);
        }
    }

    /**
     * Reads the sockaddr of {@code length} bytes at the start of {@code source}: an
     * {@link InetSocketAddress} for AF_INET/AF_INET6 (IPv4-mapped IPv6 reads as IPv4), a
     * {@link UnixDomainSocketAddress} for AF_UNIX (empty path for an unnamed socket).
     */
    public static SocketAddress read(MemorySegment source, int length) {
        int family = source.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(source.get(NET_SHORT, 2));
        try {
            return switch (family) {
                case SocketCalls.AF_INET -> new InetSocketAddress(InetAddressCache.ipv4(source.get(NET_INT, IN_ADDR)), port);
                case SocketCalls.AF_INET6 -> {
                    byte[] bytes = source.asSlice(IN6_ADDR, 16).toArray(JAVA_BYTE);
                    int scope = source.get(JAVA_INT, IN6_SCOPE);
                    InetAddress address = isIpv4Mapped(bytes) || scope == 0
                            ? InetAddress.getByAddress(bytes)
                            : Inet6Address.getByAddress(null, bytes, scope);
                    yield new InetSocketAddress(address, port);
                }
                case SocketCalls.AF_UNIX -> readUnix(source, length);
                default -> throw new IllegalArgumentException("unsupported address family " + family);
            };
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of a wrong length", e); // lengths are fixed above
        }
    }

    private static int writeIpv4(InetAddress address, int port, MemorySegment target) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException(address + " is not an IPv4 address");
        }
        target.set(JAVA_SHORT, 0, (short) SocketCalls.AF_INET);
        target.set(NET_SHORT, 2, (short) port);
        MemorySegment.copy(address.getAddress(), 0, target, JAVA_BYTE, IN_ADDR, 4);
        return (int) SOCKADDR_IN.byteSize();
    }

    private static int writeIpv6(InetAddress address, int port, MemorySegment target) {
        target.set(JAVA_SHORT, 0, (short) SocketCalls.AF_INET6);
        target.set(NET_SHORT, 2, (short) port);
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            target.set(JAVA_BYTE, IN6_ADDR + 10, (byte) 0xff);
            target.set(JAVA_BYTE, IN6_ADDR + 11, (byte) 0xff);
            MemorySegment.copy(bytes, 0, target, JAVA_BYTE, IN6_ADDR + 12, 4);
        } else {
            MemorySegment.copy(bytes, 0, target, JAVA_BYTE, IN6_ADDR, 16);
            target.set(JAVA_INT, IN6_SCOPE, ((Inet6Address) address).getScopeId());
        }
        return (int) SOCKADDR_IN6.byteSize();
    }

    private static int writeUnix(Path path, MemorySegment target) {
        byte[] bytes = path.toString().getBytes(PATH_CHARSET);
        if (bytes.length == 0 || bytes.length >= UNIX_PATH_CAPACITY) {
            throw new IllegalArgumentException("a Unix socket path needs 1 to " + (UNIX_PATH_CAPACITY - 1)
                    + " bytes, got " + bytes.length + ": " + path);
        }
        target.set(JAVA_SHORT, 0, (short) SocketCalls.AF_UNIX);
        MemorySegment.copy(bytes, 0, target, JAVA_BYTE, UN_PATH, bytes.length);
        return (int) (UN_PATH + bytes.length + 1);
    }

    private static UnixDomainSocketAddress readUnix(MemorySegment source, int length) {
        int max = Math.max(0, Math.min(length, (int) SOCKADDR_UN.byteSize()) - (int) UN_PATH);
        byte[] raw = source.asSlice(UN_PATH, max).toArray(JAVA_BYTE);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return UnixDomainSocketAddress.of(new String(raw, 0, end, PATH_CHARSET));
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
