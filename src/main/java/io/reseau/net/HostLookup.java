package io.reseau.net;

import io.reseau.common.IoErrorException;
import io.reseau.dns.HostAddress;
import io.reseau.dns.HostResolver;
import io.reseau.future.IoFuture;
import io.reseau.socket.IpAddresses;
import java.io.InterruptedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Blocking host lookups through a {@link HostResolver}, answered in the JDK's order. */
final class HostLookup {
    // java.net.preferIPv6Addresses: false (the default) puts IPv4 first, true IPv6 first, "system" keeps the order.
    private static final String PREFERENCE = System.getProperty("java.net.preferIPv6Addresses", "false");

    private HostLookup() {}

    /**
     * The address a java.net.Socket would connect to for {@code host}. A null host is the loopback
     * address, as in {@code InetAddress.getByName(null)}. As there, a looked-up address carries the
     * name it was looked up by (its {@code getHostName()} needs no reverse lookup, and messages
     * show "name/address"); a literal carries none.
     */
    static InetAddress first(HostResolver resolver, String host) throws UnknownHostException, InterruptedIOException {
        if (host == null || host.isEmpty()) {
            return InetAddress.getLoopbackAddress();
        }
        Optional<InetAddress> literal = IpAddresses.parse(host);
        if (literal.isPresent()) {
            return literal.get();
        }
        IoFuture<List<HostAddress>> answer = IoFuture.create();
        resolver.resolve(host, (name, addresses, error) -> {
            if (error != null) {
                answer.setError(error);
            } else {
                answer.setResult(addresses);
            }
        });
        try {
            List<HostAddress> addresses = answer.get();
            InetAddress chosen = addresses.stream().map(HostAddress::address).min(order())
                    .orElseThrow(() -> new UnknownHostException(host));
            return chosen instanceof Inet6Address v6 && v6.getScopeId() != 0
                    ? Inet6Address.getByAddress(host, v6.getAddress(), v6.getScopeId())
                    : InetAddress.getByAddress(host, chosen.getAddress());
        } catch (IoErrorException e) {
            throw (UnknownHostException) new UnknownHostException(host).initCause(e);
        }
    }

    private static Comparator<InetAddress> order() {
        return switch (PREFERENCE) {
            case "true" -> Comparator.comparingInt(a -> a instanceof Inet6Address ? 0 : 1);
            case "system" -> (a, b) -> 0;
            default -> Comparator.comparingInt(a -> a instanceof Inet6Address ? 1 : 0);
        };
    }
}
