package io.reseau.cli.bench;

import java.time.Duration;

/**
 * A network stack under test. Every scenario runs both ends on the same stack, on loopback, and
 * checks that it did the work (bytes counted, echoes compared) before it reports a figure.
 */
public interface Stack extends AutoCloseable {
    /** "jdk", "reseau", "netty-epoll"... */
    String name();

    /** A: one connection, {@code size}-byte ping-pong for {@code measure} after {@code warmup}. */
    Results.RoundTrips requestResponse(Duration warmup, Duration measure, int size) throws Exception;

    /** B: one connection, {@code total} bytes in {@code writeSize} writes; the receiver counts them. */
    Results.Bulk bulk(long total, int writeSize) throws Exception;

    /** C: {@code connections} connected at once, each doing {@code roundTrips} {@code size}-byte round trips. */
    Results.Concurrency concurrency(int connections, int roundTrips, int size) throws Exception;

    /**
     * E: opens {@code count} idle connections (both ends in this process) and keeps them open until
     * the returned handle is closed.
     */
    AutoCloseable openIdle(int count) throws Exception;

    @Override
    default void close() throws Exception {}
}
