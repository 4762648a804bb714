package io.reseau.dns;

/**
 * Turns host names into addresses (aws-c-io's {@code aws_host_resolver}). Bootstraps resolve
 * through this interface, so a caching resolver can replace the system one.
 */
public interface HostResolver extends AutoCloseable {
    /**
     * Resolves {@code host}. The callback runs once: on a resolver thread after a lookup, or on the
     * calling thread when the answer is known at once (an address literal, a cached entry).
     *
     * @throws IllegalArgumentException for a null or empty host
     */
    void resolve(String host, ResolveCallback callback);

    /** A connection to {@code address} failed; a caching resolver may prefer other addresses for a while. */
    default void recordConnectionFailure(HostAddress address) {}

    /** Stops resolving; lookups under way still call back. */
    @Override
    void close();
}
