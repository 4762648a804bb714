package io.reseau.socket;

import io.reseau.internal.ffi.SocketCalls;

/** The address family: IPv4, IPv6 (which also reaches IPv4 peers, as mapped addresses) or Unix (LOCAL). */
public enum SocketDomain {
    IPV4(SocketCalls.AF_INET),
    IPV6(SocketCalls.AF_INET6),
    LOCAL(SocketCalls.AF_UNIX);

    final int family;

    SocketDomain(int family) {
        this.family = family;
    }

    static SocketDomain ofFamily(int family) {
        for (SocketDomain domain : values()) {
            if (domain.family == family) {
                return domain;
            }
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }
}
