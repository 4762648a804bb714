package io.reseau.dns;

/**
 * What a {@link CachingHostResolver} has done since it was created.
 *
 * @param hits requests answered from the cache
 * @param misses requests that waited for a lookup (many waiting for one host share its lookup)
 * @param lookups lookups completed, failed ones included
 * @param lookupFailures lookups that failed (the cache kept answering with what it had, if anything)
 * @param connectionFailures connection failures recorded against a cached address
 * @param evictions hosts evicted to keep within {@link HostResolverOptions#maxHosts()}
 * @param hosts hosts in the cache now
 */
public record ResolverStatistics(long hits, long misses, long lookups, long lookupFailures, long connectionFailures,
        long evictions, int hosts) {}
