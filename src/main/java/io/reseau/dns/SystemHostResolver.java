package io.reseau.dns;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.socket.IpAddresses;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * Resolves with the system's {@code getaddrinfo} (aws-c-io's default resolve function) on every
 * lookup, on a few platform threads of its own: a lookup blocks in native code, which must never
 * happen on an event loop or a virtual thread. No caching: {@link CachingHostResolver} caches.
 * Address literals are answered at once, without a lookup.
 */
public final class SystemHostResolver implements HostResolver {
    /** Lookups that may run at once; more wait in line. */
    public static final int DEFAULT_THREADS = 4;

    private final LookupThreads lookups;

    public SystemHostResolver() {
        this(DEFAULT_THREADS);
    }

    public SystemHostResolver(int threads) {
        lookups = new LookupThreads(threads);
    }

    @Override
    public void resolve(String host, ResolveCallback callback) {
        Objects.requireNonNull(callback, "callback");
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a host name is required");
        }
        Optional<InetAddress> literal = IpAddresses.parse(host);
        if (literal.isPresent()) {
            callback.onResolved(host, List.of(new HostAddress(host, literal.get())), null);
            return;
        }
        try {
            lookups.execute(() -> lookUp(host, callback));
        } catch (RejectedExecutionException e) {
            callback.onResolved(host, List.of(), IoError.DNS_QUERY_FAILED);
        }
    }

    @Override
    public void close() {
        lookups.shutdown();
    }

    private static void lookUp(String host, ResolveCallback callback) {
        LinkedHashSet<InetAddress> unique;
        try {
            unique = new LinkedHashSet<>(AddressLookup.system().lookUp(host));
        } catch (IoErrorException e) {
            callback.onResolved(host, List.of(), e.error());
            return;
        }
        if (unique.isEmpty()) {
            callback.onResolved(host, List.of(), IoError.DNS_NO_ADDRESS_FOR_HOST);
            return;
        }
        callback.onResolved(host, unique.stream().map(address -> new HostAddress(host, address)).toList(), null);
    }
}
