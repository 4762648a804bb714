package io.reseau.dns;

import io.reseau.common.IoError;
import io.reseau.socket.IpAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * aws-c-io's default host resolver: a cache entry per host with its A and AAAA addresses, kept
 * fresh by lookups in the background while the host is in use.
 *
 * <ul>
 * <li>The first request for a host starts a lookup; every request that comes while it runs waits
 * for it, so many callers of one new host make one lookup.
 * <li>While the host is asked for, it is looked up again every
 * {@link HostResolverOptions#resolveFrequency()}; once nobody has asked for it during
 * {@link HostResolverOptions#maxTtl()}, it leaves the cache.
 * <li>Answers come from the cache: every good address, IPv6 first, each family starting with its
 * least recently used address, so that successive answers rotate across a host's addresses.
 * <li>An address expires {@code maxTtl} after the last lookup that returned it, except the last
 * good one of its family: during a DNS outage the cache keeps answering.
 * <li>{@link #recordConnectionFailure} moves an address to the failed set, where lookups that
 * return it again leave it. A failed address comes back only when its family has no good one
 * left (one per lookup), or as new once it has expired.
 * <li>The cache holds at most {@link HostResolverOptions#maxHosts()} hosts: a new host beyond
 * that evicts the least recently used one (as known to within a refresh interval: an answer
 * from the cache records the time only once between two refreshes, so that answering scales).
 * </ul>
 *
 * Lookups run on a few platform threads of the resolver's own, which also wait for the timed
 * refreshes: no thread per host, never an event loop or a virtual thread. Address literals are
 * answered at once and are not cached; a name longer than DNS allows, or with a label longer than
 * 63 characters, fails at once with {@code DNS_INVALID_NAME}.
 */
public final class CachingHostResolver implements HostResolver {
    private final HostResolverOptions options;
    private final LookupScheduler scheduler;
    private final boolean shared;
    private final long idleLimitNanos;
    private final long refreshIntervalNanos;
    private final ConcurrentHashMap<String, HostEntry> hosts = new ConcurrentHashMap<>();
    private final Object admission = new Object(); // adding a host and evicting one happen together
    private final ResolverCounters counters = new ResolverCounters();
    private volatile boolean closed;

    /** A resolver with aws-c-io's defaults ({@link HostResolverOptions#defaults()}). */
    public CachingHostResolver() {
        this(HostResolverOptions.defaults());
    }

    public CachingHostResolver(HostResolverOptions options) {
        this(options, new LookupThreads(options.lookupThreads()), false);
    }

    /** A resolver whose lookups run, and whose time passes, as {@code scheduler} says (tests). */
    CachingHostResolver(HostResolverOptions options, LookupScheduler scheduler) {
        this(options, scheduler, false);
    }

    private CachingHostResolver(HostResolverOptions options, LookupScheduler scheduler, boolean shared) {
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = scheduler;
        this.shared = shared;
        // aws-c-io: a host leaves after max(1 s, max_ttl) unasked, and is looked up at least that often.
        this.idleLimitNanos = Math.max(1_000_000_000L, options.maxTtl().toNanos());
        this.refreshIntervalNanos = Math.min(idleLimitNanos, options.resolveFrequency().toNanos());
    }

    /**
     * The process-wide resolver, with the defaults: Reseau's sockets resolve through it, and so
     * does every lookup of the JVM when {@link ReseauResolverProvider} is switched on. Created on
     * first use; its threads are daemons and end while idle. {@link #close()} does nothing to it.
     */
    public static CachingHostResolver getDefault() {
        return Default.RESOLVER;
    }

    private static final class Default {
        static final CachingHostResolver RESOLVER = new CachingHostResolver(HostResolverOptions.defaults(),
                new LookupThreads(HostResolverOptions.DEFAULT_LOOKUP_THREADS), true);
    }

    @Override
    public void resolve(String host, ResolveCallback callback) {
        Objects.requireNonNull(callback, "callback");
        requireName(host);
        CachedAnswer cached = hit(host);
        if (cached != null) {
            callback.onResolved(host, cached.hostAddresses(), null);
            return;
        }
        Optional<InetAddress> literal = IpAddresses.parse(host);
        if (literal.isPresent()) {
            callback.onResolved(host, List.of(new HostAddress(host, literal.get())), null);
        } else if (HostNames.isMalformed(host)) {
            callback.onResolved(host, List.of(), IoError.DNS_INVALID_NAME);
        } else if (closed) {
            callback.onResolved(host, List.of(), IoError.DNS_QUERY_FAILED);
        } else {
            while (!entryFor(host).await(callback)) {
                // the entry left the cache between the look in the table and the wait: add it again
            }
        }
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        requireName(host);
        CachedAnswer cached = hit(host);
        return cached != null ? cached.addresses() : BlockingAnswer.resolve(this, host, null);
    }

    @Override
    public List<InetAddress> resolve(String host, RecordType type) throws UnknownHostException {
        Objects.requireNonNull(type, "type");
        requireName(host);
        CachedAnswer cached = hit(host);
        if (cached == null) {
            return BlockingAnswer.resolve(this, host, type);
        }
        List<InetAddress> addresses = cached.addresses(type);
        if (addresses.isEmpty()) {
            throw BlockingAnswer.noAddress(host, type);
        }
        return addresses;
    }

    /**
     * A connection to {@code address} failed: the cache stops answering with it (aws-c-io's rule,
     * above). Nothing happens if its host is not cached.
     */
    @Override
    public void recordConnectionFailure(HostAddress address) {
        Objects.requireNonNull(address, "address");
        HostEntry entry = hosts.get(address.host());
        if (entry != null && entry.recordFailure(address.address())) {
            counters.connectionFailure();
        }
    }

    /**
     * Forgets {@code host}: the next request looks it up afresh. Requests waiting for a lookup get
     * {@code DNS_HOST_REMOVED_FROM_CACHE}, unless the lookup is under way, which answers them.
     *
     * @return completes once no lookup of the host runs (at once if none does)
     */
    public CompletableFuture<Void> purgeHost(String host) {
        requireName(host);
        HostEntry entry = hosts.remove(host);
        return entry == null ? CompletableFuture.completedFuture(null) : entry.retire();
    }

    /** {@link #purgeHost} for every host. */
    public CompletableFuture<Void> purgeCache() {
        List<CompletableFuture<Void>> purged = new ArrayList<>();
        for (String host : List.copyOf(hosts.keySet())) {
            purged.add(purgeHost(host));
        }
        return CompletableFuture.allOf(purged.toArray(CompletableFuture[]::new));
    }

    /** How many good addresses of {@code type} the cache holds for {@code host} (0 if it is not cached). */
    public int addressCount(String host, RecordType type) {
        requireName(host);
        Objects.requireNonNull(type, "type");
        HostEntry entry = hosts.get(host);
        return entry == null ? 0 : entry.goodCount(type);
    }

    public ResolverStatistics statistics() {
        return counters.snapshot(hosts.size());
    }

    public HostResolverOptions options() {
        return options;
    }

    /**
     * Empties the cache and stops the lookup threads once the lookups under way are done (they
     * still answer). Later requests fail with {@code DNS_QUERY_FAILED}. Does nothing to
     * {@link #getDefault()}, which lives as long as the process.
     */
    @Override
    public void close() {
        if (shared) {
            return;
        }
        closed = true;
        purgeCache();
        scheduler.shutdown();
    }

    LookupScheduler scheduler() {
        return scheduler;
    }

    AddressLookup lookup() {
        return options.lookup();
    }

    ResolverCounters counters() {
        return counters;
    }

    long idleLimitNanos() {
        return idleLimitNanos;
    }

    long refreshIntervalNanos() {
        return refreshIntervalNanos;
    }

    /** {@code entry} has left the cache by itself (idle, or the resolver closed). */
    void forget(HostEntry entry) {
        hosts.remove(entry.host, entry);
    }

    /** The host's entry, added if needed; adding one beyond the bound evicts the least recently used. */
    private HostEntry entryFor(String host) {
        HostEntry entry = hosts.get(host);
        if (entry != null) {
            return entry;
        }
        HostEntry evicted = null;
        synchronized (admission) {
            entry = hosts.get(host);
            if (entry != null) {
                return entry;
            }
            entry = new HostEntry(host, this, scheduler.nanoTime());
            hosts.put(host, entry);
            if (hosts.size() > options.maxHosts()) {
                evicted = leastRecentlyUsedBut(entry);
                if (evicted != null && !hosts.remove(evicted.host, evicted)) {
                    evicted = null; // it left by itself meanwhile
                }
            }
        }
        if (evicted != null) {
            counters.eviction();
            evicted.retire();
        }
        return entry;
    }

    /** The host's cached answer, counted as a hit; null when the cache has no address for it. */
    private CachedAnswer hit(String host) {
        HostEntry entry = hosts.get(host);
        if (entry == null) {
            return null;
        }
        CachedAnswer cached = entry.cached();
        if (cached.isEmpty()) {
            return null;
        }
        counters.hit();
        return cached;
    }

    private HostEntry leastRecentlyUsedBut(HostEntry newest) {
        HostEntry oldest = null;
        for (HostEntry candidate : hosts.values()) {
            if (candidate != newest && (oldest == null || candidate.lastUse() < oldest.lastUse())) {
                oldest = candidate;
            }
        }
        return oldest;
    }

    private static void requireName(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a host name is required");
        }
    }
}
