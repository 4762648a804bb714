package io.reseau.cli.bench;

/** A figure the benchmark reports, per stack. */
public enum Metric {
    REQUEST_RESPONSE_RATE("A", "request/response", "round trips/s", true),
    REQUEST_RESPONSE_P50("A", "request/response", "p50 latency, µs", false),
    REQUEST_RESPONSE_P99("A", "request/response", "p99 latency, µs", false),
    BULK_RATE("B", "bulk", "MiB/s", true),
    CONCURRENCY_RATE("C", "concurrency", "round trips/s", true),
    PIPE_RATE("P", "pipe", "MiB/s", true),
    HANDSHAKE_RATE("D1", "TLS handshakes, one client at a time", "full handshakes/s", true),
    CONCURRENT_HANDSHAKE_RATE("D1", "TLS handshakes, clients at once", "full handshakes/s", true),
    TLS_BULK_RATE("D2", "TLS bulk", "MiB/s", true),
    TLS_REQUEST_RESPONSE_RATE("D3", "TLS request/response", "round trips/s", true),
    TLS_REQUEST_RESPONSE_P50("D3", "TLS request/response", "p50 latency, µs", false),
    TLS_IDLE_MEMORY("D4", "idle TLS connections", "bytes per connection, heap + native", false),
    TLS_IDLE_HEAP("D4", "idle TLS connections", "heap bytes per connection", false),
    TLS_IDLE_NATIVE("D4", "idle TLS connections", "native bytes per connection (malloc in use)", false),
    RESUMED_HANDSHAKE_RATE("D5", "TLS resumed handshakes, one client at a time", "resumed handshakes/s", true),
    CONCURRENT_RESUMED_HANDSHAKE_RATE("D5", "TLS resumed handshakes, clients at once", "resumed handshakes/s", true),
    OPENSSL_CONNECTION_RATE("D6", "TLS server, OpenSSL clients (openssl s_time -new)", "full-handshake connections/s", true),
    IDLE_MEMORY("E", "idle connections", "bytes per connection, heap + native", false),
    IDLE_HEAP("E", "idle connections", "heap bytes per connection", false),
    IDLE_NATIVE("E", "idle connections", "native bytes per connection (malloc in use)", false),
    CACHED_LOOKUP_RATE("F", "cached lookups, one thread", "lookups/s", true),
    CONCURRENT_CACHED_LOOKUP_RATE("F", "cached lookups, 1,000 virtual threads", "lookups/s", true),
    DEAD_FIRST_ADDRESS_CONNECT("G", "connect to a host whose first address is dead",
            "ms (jdk: to give up on that address, as Socket(host, port) does)", false);

    public final String scenario;
    public final String scenarioName;
    public final String unit;
    public final boolean higherIsBetter;

    Metric(String scenario, String scenarioName, String unit, boolean higherIsBetter) {
        this.scenario = scenario;
        this.scenarioName = scenarioName;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** Scenario D's: measured on the TLS stacks ({@link BenchmarkPlan#tls()}). */
    public boolean tls() {
        return scenario.startsWith("D");
    }
}
