package io.reseau.dns;

import io.reseau.common.IoErrorException;
import java.net.InetAddress;
import java.util.List;

/**
 * Looks up every address of a host (aws-c-io's resolve function, the {@code impl} of
 * {@code aws_host_resolution_config}). A resolver calls it on one of its lookup threads, where it
 * may block; it is never called on an event loop or a virtual thread.
 */
@FunctionalInterface
public interface AddressLookup {
    /**
     * The addresses of {@code host}, in any order; duplicates are allowed.
     *
     * @throws IoErrorException why there are none, with aws-c-io's codes ({@code DNS_INVALID_NAME}
     *     for a name that does not exist, {@code DNS_QUERY_FAILED}, {@code DNS_QUERY_AGAIN}, ...)
     */
    List<InetAddress> lookUp(String host) throws IoErrorException;

    /** The system's {@code getaddrinfo} (aws-c-io's {@code aws_default_dns_resolve}). */
    static AddressLookup system() {
        return GetaddrinfoLookup.INSTANCE;
    }
}
