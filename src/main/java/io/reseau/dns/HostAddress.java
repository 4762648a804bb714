package io.reseau.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/** One address of a host (aws-c-io's {@code aws_host_address}). */
public record HostAddress(String host, InetAddress address) {
    public HostAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
    }

    public RecordType recordType() {
        return address instanceof Inet4Address ? RecordType.A : RecordType.AAAA;
    }
}
