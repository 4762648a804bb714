package io.reseau.dns;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;

/**
 * One family's good addresses of a host as they stood at one moment, least recently used first,
 * handed out in turn without a lock: each answer starts one address further round (aws-c-io's LRU
 * cache, where answering with an address makes it the most recently used). Before the set
 * changes, its owner folds the turns taken into its own order ({@link #offset()}).
 */
final class AddressRotation {
    static final AddressRotation EMPTY = new AddressRotation(new HostAddress[0]);
    private static final VarHandle TURNS;

    static {
        try {
            TURNS = MethodHandles.lookup().findVarHandle(AddressRotation.class, "turns", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final HostAddress[] hostAddresses;
    final InetAddress[] addresses;
    @SuppressWarnings("unused") // through TURNS
    private volatile long turns;

    AddressRotation(HostAddress[] hostAddresses) {
        this.hostAddresses = hostAddresses;
        this.addresses = new InetAddress[hostAddresses.length];
        for (int i = 0; i < hostAddresses.length; i++) {
            addresses[i] = hostAddresses[i].address();
        }
    }

    int size() {
        return addresses.length;
    }

    /**
     * Takes a turn and returns where its answer starts. A single address has no turns to take, so
     * the common case writes nothing that other threads read.
     */
    int take() {
        int size = addresses.length;
        return size <= 1 ? 0 : (int) Long.remainderUnsigned((long) TURNS.getAndAdd(this, 1L), size);
    }

    /** How far round the turns taken so far have moved the order since it was built. */
    int offset() {
        int size = addresses.length;
        return size <= 1 ? 0 : (int) Long.remainderUnsigned((long) TURNS.getVolatile(this), size);
    }
}
