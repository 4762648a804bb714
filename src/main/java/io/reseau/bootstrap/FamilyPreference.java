package io.reseau.bootstrap;

import io.reseau.dns.HostAddress;
import io.reseau.dns.RecordType;
import java.util.ArrayList;
import java.util.List;

/**
 * Which address family a connection race tries first, and the order of its attempts: RFC 8305 §4
 * interleaves the families, one address of the first family, then one of the other, and so on;
 * each family keeps the resolver's order.
 *
 * <p>RFC 8305 prefers IPv6, and so does Reseau unless the JDK's properties say otherwise:
 * {@code -Djava.net.preferIPv4Stack=true} or {@code -Djava.net.preferIPv6Addresses=false} put
 * IPv4 first, {@code -Djava.net.preferIPv6Addresses=system} the family of the resolver's first
 * answer. (Unset, the JDK's own default would put IPv4 first; a race makes IPv6 first cheap.)
 */
enum FamilyPreference {
    IPV6_FIRST, IPV4_FIRST, AS_RESOLVED;

    /** As this JVM's system properties say; read once. */
    static final FamilyPreference CONFIGURED = of(System.getProperty("java.net.preferIPv4Stack"),
            System.getProperty("java.net.preferIPv6Addresses"));

    /** The preference the two JDK properties give (null when unset); preferIPv4Stack wins, as in the JDK. */
    static FamilyPreference of(String preferIpv4Stack, String preferIpv6Addresses) {
        if (Boolean.parseBoolean(preferIpv4Stack)) {
            return IPV4_FIRST;
        }
        if (preferIpv6Addresses == null) {
            return IPV6_FIRST;
        }
        return switch (preferIpv6Addresses.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "false" -> IPV4_FIRST;
            case "system" -> AS_RESOLVED;
            default -> IPV6_FIRST;
        };
    }

    /** {@code addresses} in the order to try them: the first family's first, then alternating. */
    List<HostAddress> interleave(List<HostAddress> addresses) {
        if (addresses.isEmpty()) {
            return addresses;
        }
        RecordType firstFamily = switch (this) {
            case IPV6_FIRST -> RecordType.AAAA;
            case IPV4_FIRST -> RecordType.A;
            case AS_RESOLVED -> addresses.getFirst().recordType();
        };
        List<HostAddress> first = new ArrayList<>();
        List<HostAddress> second = new ArrayList<>();
        for (HostAddress address : addresses) {
            (address.recordType() == firstFamily ? first : second).add(address);
        }
        List<HostAddress> order = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            if (i < first.size()) {
                order.add(first.get(i));
            }
            if (i < second.size()) {
                order.add(second.get(i));
            }
        }
        return order;
    }
}
