package io.reseau.dns;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CachingHostResolver} caches (aws-c-io's {@code aws_host_resolution_config} and
 * {@code aws_host_resolver_default_options}).
 *
 * @param maxTtl how long an address stays good after the last lookup that returned it (aws-c-io's
 *     {@code max_ttl}, 30 s); also how long a host stays cached once nobody asks for it (at least 1 s)
 * @param resolveFrequency how often a host in use is looked up again (aws-c-io's
 *     {@code resolve_frequency_ns}, 1 s), at most every {@code maxTtl}
 * @param maxHosts how many hosts the cache holds; a new one beyond that evicts the least recently
 *     used (aws-c-io's {@code max_entries} only sizes its table)
 * @param lookupThreads how many lookups may run at once, each on a platform thread
 * @param lookup the lookup function (aws-c-io's {@code impl}): {@link AddressLookup#system()} by default
 */
public record HostResolverOptions(Duration maxTtl, Duration resolveFrequency, int maxHosts, int lookupThreads,
        AddressLookup lookup) {
    public static final Duration DEFAULT_MAX_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RESOLVE_FREQUENCY = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_HOSTS = 1024;
    public static final int DEFAULT_LOOKUP_THREADS = 4;

    public HostResolverOptions {
        requirePositive(maxTtl, "maxTtl");
        requirePositive(resolveFrequency, "resolveFrequency");
        if (maxHosts < 1) {
            throw new IllegalArgumentException("maxHosts must be >= 1, got " + maxHosts);
        }
        if (lookupThreads < 1) {
            throw new IllegalArgumentException("lookupThreads must be >= 1, got " + lookupThreads);
        }
        Objects.requireNonNull(lookup, "lookup");
    }

    /** aws-c-io's defaults, 1,024 hosts and 4 lookup threads, looking up with getaddrinfo. */
    public static HostResolverOptions defaults() {
        return new HostResolverOptions(DEFAULT_MAX_TTL, DEFAULT_RESOLVE_FREQUENCY, DEFAULT_MAX_HOSTS, DEFAULT_LOOKUP_THREADS,
                AddressLookup.system());
    }

    public HostResolverOptions maxTtl(Duration newMaxTtl) {
        return new HostResolverOptions(newMaxTtl, resolveFrequency, maxHosts, lookupThreads, lookup);
    }

    public HostResolverOptions resolveFrequency(Duration newFrequency) {
        return new HostResolverOptions(maxTtl, newFrequency, maxHosts, lookupThreads, lookup);
    }

    public HostResolverOptions maxHosts(int newMaxHosts) {
        return new HostResolverOptions(maxTtl, resolveFrequency, newMaxHosts, lookupThreads, lookup);
    }

    public HostResolverOptions lookupThreads(int newLookupThreads) {
        return new HostResolverOptions(maxTtl, resolveFrequency, maxHosts, newLookupThreads, lookup);
    }

    public HostResolverOptions lookup(AddressLookup newLookup) {
        return new HostResolverOptions(maxTtl, resolveFrequency, maxHosts, lookupThreads, newLookup);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
