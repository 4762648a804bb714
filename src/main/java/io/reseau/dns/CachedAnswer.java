package io.reseau.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * What a host's entry answers from its cache, both families published together: every good
 * address, IPv6 (AAAA) first as aws-c-io answers, each family starting with its least recently
 * used address. Each answer takes a turn of every family it includes.
 */
record CachedAnswer(AddressRotation aaaa, AddressRotation a) {
    static final CachedAnswer NONE = new CachedAnswer(AddressRotation.EMPTY, AddressRotation.EMPTY);

    boolean isEmpty() {
        return aaaa.size() == 0 && a.size() == 0;
    }

    List<HostAddress> hostAddresses() {
        return new RotatedList<>(aaaa.hostAddresses, aaaa.take(), a.hostAddresses, a.take());
    }

    List<InetAddress> addresses() {
        return new RotatedList<>(aaaa.addresses, aaaa.take(), a.addresses, a.take());
    }

    /** One family's addresses; empty when it has none. */
    List<InetAddress> addresses(RecordType type) {
        AddressRotation family = type == RecordType.AAAA ? aaaa : a;
        return new RotatedList<>(family.addresses, family.take(), AddressRotation.EMPTY.addresses, 0);
    }
}
