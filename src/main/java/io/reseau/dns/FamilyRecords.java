package io.reseau.dns;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One family (A or AAAA) of a host's cached addresses, with aws-c-io's rules: a good set answers,
 * a failed set holds addresses a connection failed to, both in least-recently-used order. Not
 * thread-safe: its {@link HostEntry} holds its lock around every call; readers without the lock
 * see only the published {@link #rotation()}.
 */
final class FamilyRecords {
    /** An address and when it expires, on the resolver's clock. */
    private record Cached(HostAddress address, long expiry) {}

    // Insertion order is least recently used first: a use moves an address to the end.
    private final Map<InetAddress, Cached> good = new LinkedHashMap<>();
    private final Map<InetAddress, Cached> failed = new LinkedHashMap<>();
    private AddressRotation rotation = AddressRotation.EMPTY;

    /** The good addresses as last published, for answering without the lock. */
    AddressRotation rotation() {
        return rotation;
    }

    int goodCount() {
        return good.size();
    }

    /**
     * After a lookup ({@code fresh} is null when it failed): a fresh address already good expires
     * later; one in the failed set stays there with its expiry (a lookup does not make it trusted
     * again); a new one joins the good set as the most recently used. Then expired good addresses
     * go, all but the last (a DNS outage must not empty the cache), expired failed ones go, and
     * if no good address is left the least recently used failed one that has not expired is
     * promoted back, one per lookup.
     */
    void refresh(List<HostAddress> fresh, long expiry, long now) {
        settleTurns();
        if (fresh != null) {
            for (HostAddress address : fresh) {
                Cached known = good.get(address.address());
                if (known != null) {
                    good.replace(address.address(), new Cached(known.address(), expiry));
                } else if (!failed.containsKey(address.address())) {
                    good.put(address.address(), new Cached(address, expiry));
                }
            }
        }
        expire(now);
        publish();
    }

    /**
     * A connection to {@code address} failed: a good address moves to the failed set as its most
     * recently used, keeping its expiry.
     *
     * @return whether the address is one of this family's, good or failed
     */
    boolean recordFailure(InetAddress address) {
        settleTurns();
        Cached cached = good.remove(address);
        if (cached != null) {
            failed.put(address, cached);
        }
        publish();
        return cached != null || failed.containsKey(address);
    }

    private void expire(long now) {
        int count = good.size();
        int expired = 0;
        for (Iterator<Cached> it = good.values().iterator(); it.hasNext() && expired < count - 1; ) {
            if (it.next().expiry() < now) {
                it.remove();
                expired++;
            }
        }
        boolean promote = good.isEmpty();
        for (Iterator<Cached> it = failed.values().iterator(); it.hasNext(); ) {
            Cached cached = it.next();
            if (now >= cached.expiry()) {
                it.remove();
            } else if (promote) {
                it.remove();
                good.put(cached.address().address(), cached);
                promote = false;
            }
        }
    }

    /**
     * Moves the addresses the published rotation has handed out since it was built to the end: the
     * order it was built from is the good set's own until the next {@link #publish()}.
     */
    private void settleTurns() {
        for (int moved = rotation.offset(); moved > 0; moved--) {
            Iterator<Map.Entry<InetAddress, Cached>> first = good.entrySet().iterator();
            Map.Entry<InetAddress, Cached> used = first.next();
            first.remove();
            good.put(used.getKey(), used.getValue());
        }
    }

    private void publish() {
        rotation = new AddressRotation(good.values().stream().map(Cached::address).toArray(HostAddress[]::new));
    }
}
