package io.reseau.cli.bench;

import java.time.Duration;

/**
 * A TLS stack under test in scenario D: TLS 1.3, both ends on the same stack, on loopback, the
 * server presenting a fresh EC P-256 certificate ({@link TlsCertificates}) that the client checks.
 * As with {@link Stack}, every scenario checks its work before it reports a figure: echoes compared,
 * bytes counted, and every handshake shown to be a full one (the client checked the server's
 * certificate, which a resumed handshake does not present).
 */
public interface TlsStack extends AutoCloseable {
    /** "jdk", "reseau", "netty-tcnative"... */
    String name();

    /** What a handshake of D1 or D5 does. */
    enum Handshake {
        /**
         * D1: every handshake full. No session is resumed: each client invalidates its session once
         * used ({@link javax.net.ssl.SSLSession#invalidate()}), so there is none to offer.
         */
        FULL,
        /**
         * D5: a client's first handshake is full, and every later one resumes the session of the one
         * before from the client's session cache, as the stack keeps one (each client its own, as
         * separate programs have); only the resumed ones are counted.
         */
        RESUMED
    }

    /**
     * Why this stack does not resume sessions as D5 needs (by its defaults, under the code the other
     * stacks run), or null if it does. D5 leaves such a stack out; its {@link #handshakes} refuses
     * {@link Handshake#RESUMED} with {@link UnsupportedOperationException}.
     */
    default String resumptionUnavailableReason() {
        return null;
    }

    /**
     * D1 and D5: {@code clients} clients at once, each in a loop: connect, handshake as
     * {@code kind} says, one {@code size}-byte echo to prove the connection carries data, close;
     * for {@code measure} after {@code warmup}.
     */
    Results.Handshakes handshakes(Handshake kind, int clients, Duration warmup, Duration measure, int size) throws Exception;

    /** D2: B over TLS: one connection, the handshake done before the clock starts. */
    Results.Bulk bulk(long total, int writeSize) throws Exception;

    /** D3: A over TLS: one connection, {@code size}-byte ping-pong. */
    Results.RoundTrips requestResponse(Duration warmup, Duration measure, int size) throws Exception;

    /**
     * D6: {@code processes} OpenSSL clients at once ({@link OpensslClients}) make full handshakes for
     * {@code seconds} against this stack's TLS server socket, D1's echo server behind it. Only stacks
     * with a TLS server socket of their own run it.
     */
    default Results.Connections opensslClients(int processes, int seconds, int size) throws Exception {
        throw new UnsupportedOperationException(name() + " has no TLS server socket of its own");
    }

    /**
     * D4: opens {@code count} idle TLS connections (both ends in this process, every handshake
     * completed at both ends) and keeps them open until the returned handle is closed.
     */
    AutoCloseable openIdle(int count) throws Exception;

    @Override
    default void close() throws Exception {}
}
