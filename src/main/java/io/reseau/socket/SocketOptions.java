package io.reseau.socket;

import io.reseau.internal.ffi.SocketCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * How a socket is created and tuned (aws-c-io's {@code aws_socket_options}).
 *
 * @param connectTimeout how long a connect may take before it fails with
 *     {@code SOCKET_TIMEOUT}; {@link Duration#ZERO} means no limit of Reseau's own (the kernel
 *     gives up after its SYN retries, about two minutes on Linux), as {@code Socket.connect(addr, 0)}.
 *     Default 3 s.
 * @param keepAlive whether to send TCP keep-alive probes
 * @param keepAliveIdleSeconds idle time before the first probe (TCP_KEEPIDLE); 0 keeps the system's
 * @param keepAliveIntervalSeconds time between probes (TCP_KEEPINTVL); 0 keeps the system's
 * @param keepAliveProbes unanswered probes before the connection is dropped (TCP_KEEPCNT); 0 keeps the system's
 * @param tcpNoDelay disable Nagle's algorithm (TCP_NODELAY)
 * @param networkInterfaceName bind the socket to this interface (SO_BINDTODEVICE), or null
 * @param reuseAddress set SO_REUSEADDR when the socket is made (aws-c-io sets it on every socket:
 *     default true); false leaves the kernel's default, off. Accepted sockets follow their listener.
 */
public record SocketOptions(SocketType type, SocketDomain domain, Duration connectTimeout, boolean keepAlive,
        int keepAliveIdleSeconds, int keepAliveIntervalSeconds, int keepAliveProbes, boolean tcpNoDelay,
        String networkInterfaceName, boolean reuseAddress) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    public SocketOptions {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout cannot be negative: " + connectTimeout);
        }
        if (keepAliveIdleSeconds < 0 || keepAliveIntervalSeconds < 0 || keepAliveProbes < 0) {
            throw new IllegalArgumentException("keep-alive settings cannot be negative");
        }
        if (networkInterfaceName != null && (networkInterfaceName.isEmpty()
                || networkInterfaceName.getBytes(StandardCharsets.UTF_8).length >= SocketCalls.IFNAMSIZ)) {
            throw new IllegalArgumentException("an interface name has 1 to " + (SocketCalls.IFNAMSIZ - 1)
                    + " bytes: '" + networkInterfaceName + "'");
        }
    }

    /** A TCP socket of {@code domain} with the defaults. */
    public static SocketOptions tcp(SocketDomain domain) {
        return new SocketOptions(SocketType.STREAM, domain, DEFAULT_CONNECT_TIMEOUT, false, 0, 0, 0, false, null, true);
    }

    /** A UDP socket of {@code domain}. */
    public static SocketOptions udp(SocketDomain domain) {
        return new SocketOptions(SocketType.DGRAM, domain, DEFAULT_CONNECT_TIMEOUT, false, 0, 0, 0, false, null, true);
    }

    public SocketOptions withDomain(SocketDomain newDomain) {
        return new SocketOptions(type, newDomain, connectTimeout, keepAlive, keepAliveIdleSeconds,
                keepAliveIntervalSeconds, keepAliveProbes, tcpNoDelay, networkInterfaceName, reuseAddress);
    }

    public SocketOptions withConnectTimeout(Duration timeout) {
        return new SocketOptions(type, domain, timeout, keepAlive, keepAliveIdleSeconds,
                keepAliveIntervalSeconds, keepAliveProbes, tcpNoDelay, networkInterfaceName, reuseAddress);
    }

    public SocketOptions withKeepAlive(int idleSeconds, int intervalSeconds, int probes) {
        return new SocketOptions(type, domain, connectTimeout, true, idleSeconds, intervalSeconds, probes,
                tcpNoDelay, networkInterfaceName, reuseAddress);
    }

    public SocketOptions withTcpNoDelay(boolean noDelay) {
        return new SocketOptions(type, domain, connectTimeout, keepAlive, keepAliveIdleSeconds,
                keepAliveIntervalSeconds, keepAliveProbes, noDelay, networkInterfaceName, reuseAddress);
    }

    public SocketOptions withNetworkInterface(String name) {
        return new SocketOptions(type, domain, connectTimeout, keepAlive, keepAliveIdleSeconds,
                keepAliveIntervalSeconds, keepAliveProbes, tcpNoDelay, name, reuseAddress);
    }

    public SocketOptions withReuseAddress(boolean reuse) {
        return new SocketOptions(type, domain, connectTimeout, keepAlive, keepAliveIdleSeconds,
                keepAliveIntervalSeconds, keepAliveProbes, tcpNoDelay, networkInterfaceName, reuse);
    }
}
