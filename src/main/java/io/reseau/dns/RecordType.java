package io.reseau.dns;

/** The DNS record an address came from: A for IPv4, AAAA for IPv6. */
public enum RecordType {
    A,
    AAAA
}
