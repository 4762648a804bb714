package io.reseau.cli.bench;

import java.util.List;

/**
 * A ratio one of Reseau's stacks aims for against a peer, measured in the same run.
 *
 * @param subject {@link Stacks#RESEAU}, or {@link TlsStacks#RESEAU_ENGINE} for its SSLEngine
 * @param bound the least ratio wanted when higher is better, the most when lower is better
 */
public record Target(String subject, Metric metric, String peer, double bound) {
    /** Netty's OpenSSL engine (BoringSSL), scenario D's native peer. */
    public static final String NETTY_TCNATIVE = "netty-tcnative";
    /** Conscrypt, BoringSSL behind the JSSE API: scenario D's peer under the same code as JSSE. */
    public static final String CONSCRYPT = "conscrypt";

    /**
     * The project's targets: A and B at least the JDK's, C at least the JDK's and 0.9 × Netty's, P
     * (pipes) at least the JDK's, E at most the JDK's. In D (TLS), where the JDK's stack is JSSE: handshakes 4 × JSSE's (one client
     * and clients at once), bulk 1.6 × and request/response 1 ×; against Netty's OpenSSL engine at
     * least as fast in all three and no heavier per idle connection. Reseau's SSLEngine against JSSE's,
     * both driven by the same code: handshakes 2.5 ×, bulk 1 ×. Cached lookups (F) against the JDK's
     * {@code InetAddress} cache: 1 × from one thread, 2 × from 1,000 virtual threads. Resumed
     * handshakes (D5) 2 × JSSE's and at least netty-tcnative's. The TLS server under OpenSSL's clients
     * (D6) 1.5 × JSSE's. Against Conscrypt, the same JSSE code on BoringSSL: full handshakes (one
     * client and clients at once), bulk and request/response 1.2 ×.
     */
    public static final List<Target> ALL = List.of(
            new Target(Stacks.RESEAU, Metric.REQUEST_RESPONSE_RATE, Stacks.JDK, 1.0),
            new Target(Stacks.RESEAU, Metric.BULK_RATE, Stacks.JDK, 1.0),
            new Target(Stacks.RESEAU, Metric.CONCURRENCY_RATE, Stacks.JDK, 1.0),
            new Target(Stacks.RESEAU, Metric.CONCURRENCY_RATE, "netty-epoll", 0.9),
            new Target(Stacks.RESEAU, Metric.PIPE_RATE, Stacks.JDK, 1.0),
            new Target(Stacks.RESEAU, Metric.HANDSHAKE_RATE, Stacks.JDK, 4.0),
            new Target(Stacks.RESEAU, Metric.HANDSHAKE_RATE, NETTY_TCNATIVE, 1.0),
            new Target(Stacks.RESEAU, Metric.CONCURRENT_HANDSHAKE_RATE, Stacks.JDK, 4.0),
            new Target(Stacks.RESEAU, Metric.CONCURRENT_HANDSHAKE_RATE, NETTY_TCNATIVE, 1.0),
            new Target(Stacks.RESEAU, Metric.TLS_BULK_RATE, Stacks.JDK, 1.6),
            new Target(Stacks.RESEAU, Metric.TLS_BULK_RATE, NETTY_TCNATIVE, 1.0),
            new Target(Stacks.RESEAU, Metric.TLS_REQUEST_RESPONSE_RATE, Stacks.JDK, 1.0),
            new Target(Stacks.RESEAU, Metric.TLS_REQUEST_RESPONSE_RATE, NETTY_TCNATIVE, 1.0),
            new Target(Stacks.RESEAU, Metric.TLS_IDLE_MEMORY, NETTY_TCNATIVE, 1.0),
            new Target(Stacks.RESEAU, Metric.HANDSHAKE_RATE, CONSCRYPT, 1.2),
            new Target(Stacks.RESEAU, Metric.CONCURRENT_HANDSHAKE_RATE, CONSCRYPT, 1.2),
            new Target(Stacks.RESEAU, Metric.TLS_BULK_RATE, CONSCRYPT, 1.2),
            new Target(Stacks.RESEAU, Metric.TLS_REQUEST_RESPONSE_RATE, CONSCRYPT, 1.2),
            new Target(Stacks.RESEAU, Metric.RESUMED_HANDSHAKE_RATE, Stacks.JDK, 2.0),
            new Target(Stacks.RESEAU, Metric.RESUMED_HANDSHAKE_RATE, NETTY_TCNATIVE, 1.0),
            new Target(Stacks.RESEAU, Metric.CONCURRENT_RESUMED_HANDSHAKE_RATE, Stacks.JDK, 2.0),
            new Target(Stacks.RESEAU, Metric.CONCURRENT_RESUMED_HANDSHAKE_RATE, NETTY_TCNATIVE, 1.0),
            new Target(Stacks.RESEAU, Metric.OPENSSL_CONNECTION_RATE, Stacks.JDK, 1.5),
            new Target(Stacks.RESEAU, Metric.IDLE_MEMORY, Stacks.JDK, 1.0),
            new Target(TlsStacks.RESEAU_ENGINE, Metric.HANDSHAKE_RATE, TlsStacks.JDK_ENGINE, 2.5),
            new Target(TlsStacks.RESEAU_ENGINE, Metric.CONCURRENT_HANDSHAKE_RATE, TlsStacks.JDK_ENGINE, 2.5),
            new Target(TlsStacks.RESEAU_ENGINE, Metric.TLS_BULK_RATE, TlsStacks.JDK_ENGINE, 1.0),
            new Target(Stacks.RESEAU, Metric.CACHED_LOOKUP_RATE, Stacks.JDK, 1.0),
            new Target(Stacks.RESEAU, Metric.CONCURRENT_CACHED_LOOKUP_RATE, Stacks.JDK, 2.0));

    /** The stacks whose rows carry ratios: Reseau's own. */
    public static final List<String> SUBJECTS = List.of(Stacks.RESEAU, TlsStacks.RESEAU_ENGINE);

    public boolean isMetBy(double ratio) {
        return metric.higherIsBetter ? ratio >= bound : ratio <= bound;
    }

    @Override
    public String toString() {
        return (metric.higherIsBetter ? "≥ " : "≤ ") + bound + "× " + peer;
    }
}
