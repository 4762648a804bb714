package io.reseau.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.ChildJvm;
import io.reseau.testing.InetAddressProbe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM-wide resolver, in child JVMs (the JDK picks its resolver once per JVM): with the
 * property on, {@code InetAddress} lookups are Reseau's, counted in its statistics; off, they are
 * the JDK's, with the same answers. Reseau on the class path (META-INF/services) and as a module
 * ({@code provides}).
 */
class ReseauResolverProviderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private record Probe(String addresses, String unknown, String reverse, String reverseVirtual, String statistics) {}

    private static Probe probe(List<String> jvmOptions, boolean asModule) throws InterruptedException {
        try (ChildJvm child = ChildJvm.start(jvmOptions, asModule, InetAddressProbe.class)) {
            return new Probe(child.awaitLine("addresses ", TIMEOUT), child.awaitLine("unknown ", TIMEOUT),
                    child.awaitLine("reverse ", TIMEOUT), child.awaitLine("reverse-virtual ", TIMEOUT),
                    child.awaitLine("statistics ", TIMEOUT));
        }
    }

    @ParameterizedTest(name = "Reseau as a module: {0}")
    @ValueSource(booleans = {false, true})
    void inetAddressLookupsGoThroughReseauOnlyWhenThePropertySaysSo(boolean asModule) throws Exception {
        Probe jdk = probe(List.of(), asModule);
        assertThat(jdk.statistics()).as("the JDK's resolver answered").isEqualTo("statistics lookups=0 misses=0");
        assertThat(jdk.addresses()).contains("127.0.0.1");

        Probe reseau = probe(List.of("-D" + ReseauResolverProvider.PROPERTY + "=true"), asModule);
        assertThat(reseau.statistics()).as("Reseau's resolver answered").isNotEqualTo("statistics lookups=0 misses=0");
        assertThat(reseau.statistics()).matches("statistics lookups=([2-9]|\\d\\d+) misses=([2-9]|\\d\\d+)");
        assertThat(reseau).isEqualTo(new Probe(jdk.addresses(), jdk.unknown(), jdk.reverse(), jdk.reverseVirtual(),
                reseau.statistics()));
        assertThat(reseau.unknown()).isEqualTo("unknown UnknownHostException");
        assertThat(reseau.reverse()).isEqualTo("reverse localhost");
    }
}
