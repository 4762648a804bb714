package io.reseau.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.dns.HostAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The order of a connection race's attempts (RFC 8305 §4), and the JDK properties that choose the first family. */
class FamilyPreferenceTest {
    private static List<HostAddress> answer(String... literals) {
        return Stream.of(literals).map(literal -> {
            try {
                return new HostAddress("race.test", InetAddress.getByName(literal));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }).toList();
    }

    private static List<String> order(FamilyPreference preference, List<HostAddress> addresses) {
        return preference.interleave(addresses).stream().map(a -> a.address().getHostAddress()).toList();
    }

    @Test
    void theFamiliesAlternateFromThePreferredOneEachInTheResolversOrder() {
        List<HostAddress> answer = answer("::1", "::2", "::3", "10.0.0.1", "10.0.0.2");
        assertThat(order(FamilyPreference.IPV6_FIRST, answer))
                .containsExactly("0:0:0:0:0:0:0:1", "10.0.0.1", "0:0:0:0:0:0:0:2", "10.0.0.2", "0:0:0:0:0:0:0:3");
        assertThat(order(FamilyPreference.IPV4_FIRST, answer))
                .containsExactly("10.0.0.1", "0:0:0:0:0:0:0:1", "10.0.0.2", "0:0:0:0:0:0:0:2", "0:0:0:0:0:0:0:3");
        assertThat(order(FamilyPreference.AS_RESOLVED, answer("10.0.0.1", "::1", "10.0.0.2")))
                .containsExactly("10.0.0.1", "0:0:0:0:0:0:0:1", "10.0.0.2");
        assertThat(order(FamilyPreference.IPV6_FIRST, answer("10.0.0.1", "10.0.0.2"))).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(order(FamilyPreference.IPV6_FIRST, List.of())).isEmpty();
    }

    @Test
    void ipv6IsFirstUnlessTheJdkPropertiesPutIpv4First() {
        assertThat(FamilyPreference.of(null, null)).isEqualTo(FamilyPreference.IPV6_FIRST);
        assertThat(FamilyPreference.of(null, "true")).isEqualTo(FamilyPreference.IPV6_FIRST);
        assertThat(FamilyPreference.of(null, "false")).isEqualTo(FamilyPreference.IPV4_FIRST);
        assertThat(FamilyPreference.of(null, " System ")).isEqualTo(FamilyPreference.AS_RESOLVED);
        assertThat(FamilyPreference.of("true", "true")).as("preferIPv4Stack wins, as in the JDK").isEqualTo(FamilyPreference.IPV4_FIRST);
        assertThat(FamilyPreference.of("false", null)).isEqualTo(FamilyPreference.IPV6_FIRST);
        // The tests run without either property.
        assertThat(FamilyPreference.CONFIGURED).isEqualTo(FamilyPreference.IPV6_FIRST);
    }
}
