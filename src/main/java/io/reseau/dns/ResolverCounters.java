package io.reseau.dns;

import java.util.concurrent.atomic.LongAdder;

/** A resolver's running counts, cheap to bump from many threads at once. */
final class ResolverCounters {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder lookups = new LongAdder();
    private final LongAdder lookupFailures = new LongAdder();
    private final LongAdder connectionFailures = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void lookedUp(boolean failed) {
        if (failed) {
            lookupFailures.increment();
        }
        lookups.increment();
    }

    void connectionFailure() {
        connectionFailures.increment();
    }

    void eviction() {
        evictions.increment();
    }

    ResolverStatistics snapshot(int hosts) {
        return new ResolverStatistics(hits.sum(), misses.sum(), lookups.sum(), lookupFailures.sum(), connectionFailures.sum(),
                evictions.sum(), hosts);
    }
}
