package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/** {@code getnameinfo} (native-headers/libc_netdb.h), for reverse lookups. It blocks: never on a virtual thread. */
public final class NameInfo {
    /** Fail rather than answer with the address's text when it has no name. */
    static final int NI_NAMEREQD = 8;
    /** glibc's and musl's bound on a host name, with its terminating NUL. */
    static final int NI_MAXHOST = 1025;

    // Reports failures through its return value (EAI_*), so no errno capture.
    private static final MethodHandle GETNAMEINFO = Downcalls.plain("getnameinfo", FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private NameInfo() {}

    /** The name {@code address} resolves back to, or empty when it has none (or the lookup failed). */
    public static Optional<String> nameOf(InetAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment socketAddress = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            InetSocketAddress target = new InetSocketAddress(address, 0);
            int length = SocketAddresses.write(target, SocketAddresses.familyOf(target), socketAddress);
            MemorySegment name = arena.allocate(NI_MAXHOST);
            int rc = (int) GETNAMEINFO.invokeExact(socketAddress, length, name, NI_MAXHOST, MemorySegment.NULL, 0, NI_NAMEREQD);
            return rc == 0 ? Optional.of(name.getString(0)) : Optional.empty();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
