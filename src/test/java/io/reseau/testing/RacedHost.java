package io.reseau.testing;

import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.HostResolverOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * A host name for connection races on loopback: a listener on 127.0.0.1 at a free port and, on the
 * same port, other loopback addresses (127.0.0.x, ::1) that listen too, never answer, or refuse at
 * once (nothing listens there); and resolvers whose answer for it is scripted. Everything it opens
 * is {@code resources}' to close.
 */
public final class RacedHost {
    public static final String NAME = "race.test";

    private final Resources resources;
    private final int port;

    public RacedHost(Resources resources) throws IOException {
        this.resources = resources;
        this.port = resources.track(new ServerSocket(0, 50, ip("127.0.0.1"))).getLocalPort();
    }

    /** The port every address of the host is tried at. */
    public int port() {
        return port;
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (IOException e) {
            throw new IllegalArgumentException(literal + " is not an address literal", e);
        }
    }

    /** {@code literal} listening on the port. */
    public InetAddress listening(String literal) throws IOException {
        resources.track(new ServerSocket(port, 50, ip(literal)));
        return ip(literal);
    }

    /** {@code literal} never answering on the port: its listener's accept queue is full. */
    public InetAddress unanswered(String literal) throws IOException {
        return UnansweredAddress.open(resources, new InetSocketAddress(ip(literal), port)).getAddress();
    }

    /** A resolver whose every lookup answers {@code addresses}, in that order. */
    public CachingHostResolver resolverAnswering(InetAddress... addresses) {
        List<InetAddress> answer = List.of(addresses);
        return resources.track(new CachingHostResolver(HostResolverOptions.defaults().lookup(host -> answer)));
    }
}
