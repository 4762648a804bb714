package io.reseau.internal.ffi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Recently read IPv4 addresses, shared: an InetAddress is immutable, and the same few (a server's
 * own address, a busy client's) come back with every connection, each of which would otherwise
 * keep an InetAddress of its own for as long as it lives. A small direct-mapped table: a collision
 * only costs a new object.
 */
final class InetAddressCache {
    private static final int SLOTS = 64;
    private static final AtomicReferenceArray<Inet4Address> RECENT = new AtomicReferenceArray<>(SLOTS);

    private InetAddressCache() {}

    /** The IPv4 address whose four bytes, in network order, are {@code address}. */
    static Inet4Address ipv4(int address) {
        int slot = (address * 0x9E3779B9) >>> 26; // the top 6 bits of a Fibonacci hash: 0..63
        Inet4Address cached = RECENT.get(slot);
        // Inet4Address.hashCode() is its address, in network order.
        if (cached != null && cached.hashCode() == address) {
            return cached;
        }
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            Inet4Address created = (Inet4Address) InetAddress.getByAddress(bytes);
            RECENT.set(slot, created);
            return created;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
