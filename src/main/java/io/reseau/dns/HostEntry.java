package io.reseau.dns;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One host in a {@link CachingHostResolver}: its addresses by family, the requests waiting for a
 * lookup, and its refresh schedule (aws-c-io's {@code host_entry}, whose thread becomes a lookup
 * scheduled on the resolver's pool each time one is due). While the host is asked for, it is
 * looked up again every refresh interval; once it has not been asked for during the idle limit,
 * it leaves the cache at its next refresh.
 */
final class HostEntry {
    /**
     * The least time between the end of a lookup and the next one started for waiting requests
     * (aws-c-io's 100 ms): soon enough that a host whose addresses all failed is not starved until
     * its next refresh, late enough that a name that never resolves is not looked up in a loop.
     */
    static final long MIN_LOOKUP_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NONE = Long.MAX_VALUE;
    private static final System.Logger LOG = System.getLogger(HostEntry.class.getName());

    final String host;
    private final CachingHostResolver owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final FamilyRecords aaaa = new FamilyRecords();
    private final FamilyRecords a = new FamilyRecords();
    private volatile CachedAnswer answer = CachedAnswer.NONE;
    // Set by an answer from the cache, cleared by each refresh: only the first answer after a
    // refresh writes anything (and reads the clock), so answering scales across threads. The
    // last request's time is therefore known to within a refresh interval.
    private volatile boolean requested;
    private volatile long lastRequest;
    // Guarded by lock.
    private List<ResolveCallback> waiting = new ArrayList<>();
    private boolean lookingUp;
    private long lastLookupEnd;
    private long nextLookup = NONE;
    private long generation; // of the scheduled lookup that counts; earlier ones do nothing
    private CompletableFuture<Void> retired; // once it has left the cache: completes when no lookup runs

    HostEntry(String host, CachingHostResolver owner, long now) {
        this.host = host;
        this.owner = owner;
        this.lastRequest = now;
        this.lastLookupEnd = now - MIN_LOOKUP_GAP_NANOS;
    }

    /** The cached answer, possibly empty; a non-empty one counts as a request. */
    CachedAnswer cached() {
        CachedAnswer current = answer;
        if (!current.isEmpty() && !requested) {
            requested = true;
            lastRequest = owner.scheduler().nanoTime();
        }
        return current;
    }

    /**
     * Answers {@code callback} from the cache if a lookup has filled it meanwhile, or queues it for
     * the next lookup, starting one if none is under way.
     *
     * @return false if the entry has left the cache: the caller asks the resolver's table again
     */
    boolean await(ResolveCallback callback) {
        long now = owner.scheduler().nanoTime();
        CachedAnswer hit = null;
        long start = -1;
        long at = 0;
        lock.lock();
        try {
            if (retired != null) {
                return false;
            }
            lastRequest = now;
            if (!answer.isEmpty()) {
                hit = answer;
            } else {
                waiting.add(callback);
                long soonest = Math.max(now, lastLookupEnd + MIN_LOOKUP_GAP_NANOS);
                if (!lookingUp && soonest < nextLookup) {
                    start = ++generation;
                    at = nextLookup = soonest;
                }
            }
        } finally {
            lock.unlock();
        }
        if (hit != null) {
            owner.counters().hit();
            deliver(callback, hit, null);
        } else {
            owner.counters().miss();
            if (start >= 0) {
                schedule(start, at);
            }
        }
        return true;
    }

    /** The scheduled lookup of {@code generation}: leaves the cache if idle, else looks up and answers. */
    void refresh(long generation) {
        long now = owner.scheduler().nanoTime();
        lock.lock();
        try {
            if (generation != this.generation || retired != null) {
                return;
            }
            nextLookup = NONE;
            requested = false;
            if (waiting.isEmpty() && now - lastRequest > owner.idleLimitNanos()) {
                retired = CompletableFuture.completedFuture(null);
                owner.forget(this);
                return;
            }
            lookingUp = true;
        } finally {
            lock.unlock();
        }
        lookUpAndAnswer();
    }

    private void lookUpAndAnswer() {
        List<HostAddress> fresh = null;
        IoError error = null;
        try {
            fresh = named(owner.lookup().lookUp(host));
        } catch (IoErrorException e) {
            error = e.error();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "looking up " + host + " failed unexpectedly", e);
            error = IoError.DNS_QUERY_FAILED;
        }
        List<ResolveCallback> answered;
        CachedAnswer published;
        CompletableFuture<Void> done;
        long next = -1;
        long at = 0;
        lock.lock();
        try {
            long now = owner.scheduler().nanoTime();
            long expiry = now + owner.options().maxTtl().toNanos();
            aaaa.refresh(fresh == null ? null : ofType(fresh, RecordType.AAAA), expiry, now);
            a.refresh(fresh == null ? null : ofType(fresh, RecordType.A), expiry, now);
            published = answer = new CachedAnswer(aaaa.rotation(), a.rotation());
            answered = waiting;
            waiting = new ArrayList<>();
            lookingUp = false;
            lastLookupEnd = now;
            done = retired;
            if (done == null) {
                next = ++generation;
                at = nextLookup = now + owner.refreshIntervalNanos();
            }
        } finally {
            lock.unlock();
        }
        owner.counters().lookedUp(error != null);
        IoError failure = error != null ? error : IoError.DNS_QUERY_FAILED; // aws-c-io's, for an empty answer
        for (ResolveCallback callback : answered) {
            deliver(callback, published, failure);
        }
        if (done != null) {
            done.complete(null);
        } else {
            schedule(next, at);
        }
    }

    /**
     * Takes the entry out of service (it has already left the resolver's table): no more lookups;
     * requests waiting get {@code DNS_HOST_REMOVED_FROM_CACHE}, unless a lookup under way answers them.
     *
     * @return completes once no lookup of the entry runs
     */
    CompletableFuture<Void> retire() {
        List<ResolveCallback> abandoned;
        CompletableFuture<Void> done;
        lock.lock();
        try {
            if (retired != null) {
                return retired;
            }
            retired = done = new CompletableFuture<>();
            if (lookingUp) {
                return done;
            }
            abandoned = waiting;
            waiting = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        for (ResolveCallback callback : abandoned) {
            deliver(callback, CachedAnswer.NONE, IoError.DNS_HOST_REMOVED_FROM_CACHE);
        }
        done.complete(null);
        return done;
    }

    /** @return whether {@code address} is one of the host's, good or failed */
    boolean recordFailure(InetAddress address) {
        lock.lock();
        try {
            boolean known = (address instanceof Inet4Address ? a : aaaa).recordFailure(address);
            answer = new CachedAnswer(aaaa.rotation(), a.rotation());
            return known;
        } finally {
            lock.unlock();
        }
    }

    int goodCount(RecordType type) {
        lock.lock();
        try {
            return (type == RecordType.AAAA ? aaaa : a).goodCount();
        } finally {
            lock.unlock();
        }
    }

    /** When the host was last asked for, to within a refresh interval. */
    long lastUse() {
        return lastRequest;
    }

    private void schedule(long generation, long at) {
        try {
            owner.scheduler().schedule(() -> refresh(generation), at);
        } catch (RejectedExecutionException e) {
            owner.forget(this); // the resolver is closed: nothing will look this host up again
            retire();
        }
    }

    private void deliver(ResolveCallback callback, CachedAnswer from, IoError failure) {
        try {
            if (from.isEmpty()) {
                callback.onResolved(host, List.of(), failure);
            } else {
                callback.onResolved(host, from.hostAddresses(), null);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a resolve callback for " + host + " failed", e);
        }
    }

    /** The lookup's addresses as the JDK's own lookups give them: carrying the name they were looked up by. */
    private List<HostAddress> named(List<InetAddress> found) {
        List<HostAddress> addresses = new ArrayList<>(found.size());
        for (InetAddress address : found) {
            try {
                InetAddress withName = address instanceof Inet6Address v6 && v6.getScopeId() != 0
                        ? Inet6Address.getByAddress(host, v6.getAddress(), v6.getScopeId())
                        : InetAddress.getByAddress(host, address.getAddress());
                addresses.add(new HostAddress(host, withName));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("an address of a wrong length: " + address, e);
            }
        }
        return addresses;
    }

    private static List<HostAddress> ofType(List<HostAddress> addresses, RecordType type) {
        return addresses.stream().filter(address -> address.recordType() == type).toList();
    }
}
