package io.reseau.cli.bench;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * What scenario D (TLS 1.3) does within a {@link BenchmarkPlan}: which TLS stacks, and its sizes.
 * Its repetitions, message size and write size are the plan's. D runs when at least two TLS stacks
 * can, so that there is something to compare.
 *
 * @param stacks the TLS stacks compared (none: D is not run)
 * @param stackWarmup how long each stack handshakes (its clients at once) before its first counted
 *     D1 run, and pings, and resumes, for a quarter of it before D3 and D5: JSSE's handshake
 *     reaches its steady rate only after some ten seconds of handshaking (about half of it after two)
 * @param warmup before each D1, D3 and D5 measurement
 * @param measure how long D1, D3 and D5 each count
 * @param concurrentClients D1's and D5's second figures: this many clients handshaking at once
 * @param bulkBytes D2's transfer
 * @param idleConnections D4's connections, each a full handshake at both ends
 * @param memoryRepetitions runs of D4 per stack (each in a fresh JVM)
 * @param opensslSeconds how long each D6 run's OpenSSL clients connect (s_time counts whole seconds),
 *     after one second of it to warm each stack
 */
public record TlsPlan(List<String> stacks, Duration stackWarmup, Duration warmup, Duration measure, int concurrentClients,
        long bulkBytes, int idleConnections, int memoryRepetitions,
        int opensslSeconds) {

    public TlsPlan {
        stacks = List.copyOf(stacks);
        if (stacks.size() == 1 || new HashSet<>(stacks).size() != stacks.size()) {
            throw new IllegalArgumentException("compare two or more distinct TLS stacks, or none, got " + stacks);
        }
        if (concurrentClients < 1 || memoryRepetitions < 0 || idleConnections < 1 || bulkBytes < 1 || opensslSeconds < 1) {
            throw new IllegalArgumentException("D's sizes must be positive");
        }
    }

    /** About 45 seconds against one peer. */
    public static TlsPlan quick(List<String> stacks) {
        return new TlsPlan(stacks, Duration.ofMillis(2500), Duration.ofMillis(100), Duration.ofMillis(300), 8, 256L << 20, 250, 1, 2);
    }

    public static TlsPlan full(List<String> stacks) {
        return new TlsPlan(stacks, Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(2), 8, 1L << 30, 1000, 3, 5);
    }

    /** Tiny sizes, for checking the harness itself. */
    public static TlsPlan smoke(List<String> stacks) {
        return new TlsPlan(stacks, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(100), 4, 4L << 20, 20, 1, 1);
    }

    public boolean runs() {
        return !stacks.isEmpty();
    }
}
