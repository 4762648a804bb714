package io.reseau.cli.bench;

import java.io.IOException;
import java.util.Arrays;

/**
 * What each scenario measured. Every stack builds its results through the factories here, which
 * refuse a run that did not do all its work, so that every stack is checked the same way.
 */
public final class Results {
    /** Round trips whose latency is kept for the percentiles; later ones still count in the rate. */
    public static final int LATENCIES_KEPT = 1 << 22;

    private Results() {}

    /** A: round trips per second and the latency of one round trip. */
    public record RoundTrips(long count, double perSecond, long p50Nanos, long p99Nanos) {}

    /** B: bytes moved and the rate, in MiB per second. */
    public record Bulk(long bytes, double mibPerSecond) {}

    /** C: round trips completed by all connections together, per second. */
    public record Concurrency(long roundTrips, double perSecond) {}

    /** D1 and D5: TLS handshakes completed per second, and the cipher suite they negotiated. */
    public record Handshakes(long count, double perSecond, String cipherSuite) {}

    /** D6: connections, each a full handshake, that the OpenSSL clients completed, per second. */
    public record Connections(long count, double perSecond) {}

    /** E: memory one idle connection (both ends) costs. */
    public record Memory(int connections, long heapBytesPerConnection, long nativeBytesPerConnection) {
        public long totalPerConnection() {
            return heapBytesPerConnection + nativeBytesPerConnection;
        }
    }

    /** A's result from {@code count} round trips in {@code elapsedNanos}, the first of them timed in {@code latencies}. */
    public static RoundTrips roundTrips(long[] latencies, int count, long elapsedNanos) {
        long[] sorted = Arrays.copyOf(latencies, Math.min(count, latencies.length));
        Arrays.sort(sorted);
        return new RoundTrips(count, count / (elapsedNanos / 1e9), percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    /** B's result, once the receiver has counted {@code received} of the {@code sent} bytes. */
    public static Bulk bulk(long sent, long received, long elapsedNanos) throws IOException {
        if (received != sent) {
            throw new IOException("the receiver counted " + received + " of " + sent + " bytes");
        }
        return new Bulk(received, received / (1024.0 * 1024.0) / (elapsedNanos / 1e9));
    }

    /** C's result, once {@code completed} of the {@code expected} round trips are done. */
    public static Concurrency concurrency(long expected, long completed, long elapsedNanos) throws IOException {
        if (completed != expected) {
            throw new IOException(completed + " of " + expected + " round trips completed");
        }
        return new Concurrency(expected, expected / (elapsedNanos / 1e9));
    }

    /**
     * D1's or D5's result from {@code counted} handshakes in {@code elapsedNanos}, once each of the
     * {@code completed} handshakes of the run (warm-up included) is known to have been as
     * {@code kind} says: all full in D1; in D5, each of the {@code clients}' first full, and every
     * other resumed.
     *
     * @param fullHandshakes server certificates the clients checked ({@link CountingTrustManager})
     */
    public static Handshakes handshakes(TlsStack.Handshake kind, long counted, long elapsedNanos, long completed, int clients,
            long fullHandshakes, String cipherSuite) throws IOException {
        if (kind == TlsStack.Handshake.FULL) {
            requireFullHandshakes(completed, fullHandshakes);
        } else if (fullHandshakes != clients) {
            throw new IOException(completed + " handshakes by " + clients + " clients, but they checked the server's certificate "
                    + fullHandshakes + " times: " + (fullHandshakes > clients ? "some did not resume a session" : "some failed"));
        }
        if (counted <= 0) {
            throw new IOException("no handshake completed in the measured time");
        }
        return new Handshakes(counted, counted / (elapsedNanos / 1e9), cipherSuite);
    }

    /** D6's result from {@code count} connections in {@code elapsedNanos}. */
    public static Connections connections(long count, long elapsedNanos) throws IOException {
        if (count <= 0) {
            throw new IOException("no connection completed in the measured time");
        }
        return new Connections(count, count / (elapsedNanos / 1e9));
    }

    /**
     * Refuses a TLS run in which the clients checked a server certificate other than once per
     * handshake: a resumed handshake skips the certificate (and the signature that goes with it),
     * and would make a stack look faster for work it did not do.
     */
    public static void requireFullHandshakes(long completed, long fullHandshakes) throws IOException {
        if (fullHandshakes != completed) {
            throw new IOException(completed + " handshakes completed, but the clients checked the server's certificate "
                    + fullHandshakes + " times: " + (fullHandshakes < completed ? "some resumed a session" : "some failed"));
        }
    }

    private static long percentile(long[] sorted, double fraction) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * fraction))];
    }
}
