package io.reseau.socket;

import io.reseau.internal.ffi.SocketCalls;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Address literals parsed exactly as libc's {@code inet_pton} parses them (aws-c-io's
 * {@code aws_parse_ipv4_address} / {@code aws_parse_ipv6_address}), without any DNS lookup.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /** "192.0.2.1" as an address; empty for anything else (including "1.2.3", "01.2.3.4", "::1"). */
    public static Optional<Inet4Address> parseIpv4(String text) {
        return parse(SocketCalls.AF_INET, text).map(Inet4Address.class::cast);
    }

    /**
     * "2001:db8::1" (or "::ffff:192.0.2.1") as an address; empty for anything else. IPv4-mapped
     * addresses come back as the IPv4 address they map, as {@link InetAddress} does.
     */
    public static Optional<InetAddress> parseIpv6(String text) {
        return parse(SocketCalls.AF_INET6, text);
    }

    /** An IPv4 or IPv6 literal; empty for a host name or anything malformed. */
    public static Optional<InetAddress> parse(String text) {
        Optional<InetAddress> v4 = parse(SocketCalls.AF_INET, text);
        return v4.isPresent() ? v4 : parse(SocketCalls.AF_INET6, text);
    }

    private static Optional<InetAddress> parse(int family, String text) {
        if (text == null || text.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        byte[] bytes = SocketCalls.inetPton(family, text);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("inet_pton returned an address of a wrong length", e);
        }
    }
}
