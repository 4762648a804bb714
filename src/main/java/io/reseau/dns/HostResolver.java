package io.reseau.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * Turns host names into addresses (aws-c-io's {@code aws_host_resolver}). Bootstraps and sockets
 * resolve through this interface; {@link CachingHostResolver} is the default.
 */
public interface HostResolver extends AutoCloseable {
    /**
     * Resolves {@code host}. The callback runs once: on a resolver thread after a lookup, or on the
     * calling thread when the answer is known at once (an address literal, a cached entry).
     *
     * @throws IllegalArgumentException for a null or empty host
     */
    void resolve(String host, ResolveCallback callback);

    /**
     * Resolves {@code host} and waits for the answer: a virtual thread parks, freeing its carrier.
     * Like {@link InetAddress#getAllByName}, it waits through interrupts (the status stays set)
     * and the addresses carry the name they were looked up by.
     *
     * @return the addresses in the resolver's order, at least one
     * @throws UnknownHostException when the name does not resolve, naming the error
     * @throws IllegalArgumentException for a null or empty host
     */
    default List<InetAddress> resolve(String host) throws UnknownHostException {
        return BlockingAnswer.resolve(this, host, null);
    }

    /** {@link #resolve(String)}, only the addresses of one family (A: IPv4, AAAA: IPv6). */
    default List<InetAddress> resolve(String host, RecordType type) throws UnknownHostException {
        Objects.requireNonNull(type, "type");
        return BlockingAnswer.resolve(this, host, type);
    }

    /** A connection to {@code address} failed; a caching resolver may prefer other addresses for a while. */
    default void recordConnectionFailure(HostAddress address) {}

    /** Stops resolving; lookups under way still call back. */
    @Override
    void close();
}
