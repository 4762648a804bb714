package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** {@code getaddrinfo} (native-headers/libc_netdb.h). It blocks: resolver threads only. */
public final class AddressInfo {
    public static final int AI_V4MAPPED = 0x0008;
    public static final int AI_ALL = 0x0010;
    public static final int EAI_NONAME = -2;
    public static final int EAI_AGAIN = -3;
    public static final int EAI_FAIL = -4;
    public static final int EAI_SERVICE = -8;
    public static final int EAI_MEMORY = -10;

    static final StructLayout ADDRINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("ai_flags"), JAVA_INT.withName("ai_family"), JAVA_INT.withName("ai_socktype"),
            JAVA_INT.withName("ai_protocol"), JAVA_INT.withName("ai_addrlen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("ai_addr"), ADDRESS.withName("ai_canonname"), ADDRESS.withName("ai_next"));
    private static final long FLAGS = 0;
    private static final long FAMILY = 4;
    private static final long SOCKTYPE = 8;
    private static final long ADDRLEN = 16;
    private static final long ADDR = 24;
    private static final long NEXT = 40;

    // Reports failures through its return value (EAI_*), so no errno capture.
    private static final MethodHandle GETADDRINFO = Downcalls.plain("getaddrinfo",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FREEADDRINFO = Downcalls.quickNoErrno("freeaddrinfo",
            FunctionDescriptor.ofVoid(ADDRESS));

    /** What getaddrinfo returned: addresses in its order, or its error code (EAI_*, 0 on success). */
    public record Result(List<InetAddress> addresses, int error) {}

    private AddressInfo() {}

    /**
     * Resolves {@code host} for stream sockets of any family, with aws-c-io's flags
     * ({@code AI_ALL | AI_V4MAPPED}); duplicates are left to the caller.
     */
    @SuppressWarnings("restricted") // reading the list getaddrinfo allocated
    public static Result resolve(String host) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hints = arena.allocate(ADDRINFO);
            hints.set(JAVA_INT, FLAGS, AI_ALL | AI_V4MAPPED);
            hints.set(JAVA_INT, FAMILY, SocketCalls.AF_UNSPEC);
            hints.set(JAVA_INT, SOCKTYPE, SocketCalls.SOCK_STREAM);
            MemorySegment resultPointer = arena.allocate(ADDRESS);
            int rc = (int) GETADDRINFO.invokeExact(arena.allocateFrom(host), MemorySegment.NULL, hints, resultPointer);
            if (rc != 0) {
                return new Result(List.of(), rc);
            }
            MemorySegment head = resultPointer.get(ADDRESS, 0);
            try {
                List<InetAddress> addresses = new ArrayList<>();
                for (MemorySegment node = head.reinterpret(ADDRINFO.byteSize()); node.address() != 0;
                        node = node.get(ADDRESS, NEXT).reinterpret(ADDRINFO.byteSize())) {
                    int length = node.get(JAVA_INT, ADDRLEN);
                    MemorySegment address = node.get(ADDRESS, ADDR).reinterpret(length);
                    if (SocketAddresses.read(address, length) instanceof InetSocketAddress inet) {
                        addresses.add(inet.getAddress());
                    }
                }
                return new Result(addresses, 0);
            } finally {
                FREEADDRINFO.invokeExact(head);
            }
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
