package io.reseau.cli.bench;

/** A figure the benchmark reports, per stack. */
public enum Metric {
    REQUEST_RESPONSE_RATE("A", "request/response", "round trips/s", true),
    REQUEST_RESPONSE_P50("A", "request/response", "p50 latency, µs", false),
    REQUEST_RESPONSE_P99("A", "request/response", "p99 latency, µs", false),
    BULK_RATE("B", "bulk", "MiB/s", true),
    CONCURRENCY_RATE("C", "concurrency", "round trips/s", true),
    IDLE_MEMORY("E", "idle connections", "bytes per connection, heap + native", false),
    IDLE_HEAP("E", "idle connections", "heap bytes per connection", false),
    IDLE_NATIVE("E", "idle connections", "native bytes per connection (RSS)", false);

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
}
