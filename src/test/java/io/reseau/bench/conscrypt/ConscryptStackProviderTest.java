package io.reseau.bench.conscrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reseau.cli.bench.BlockingTlsStack;
import io.reseau.cli.bench.Results;
import io.reseau.cli.bench.TlsStack;
import java.security.Security;
import java.time.Duration;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conscrypt stack runs Conscrypt's TLS and leaves the JVM's providers as they were. (Its
 * scenarios are checked with the other JSSE providers', in BlockingTlsStackTest.)
 */
@Timeout(60)
class ConscryptStackProviderTest {
    @Test
    void handshakesAndEchoesThroughConscryptWithoutInstallingIt() throws Exception {
        ConscryptStackProvider provider = new ConscryptStackProvider();
        String reason = provider.unavailableReason();
        assumeTrue(reason == null, reason);
        try (TlsStack stack = provider.create()) {
            assertThat(stack.name()).isEqualTo("conscrypt");
            assertThat(Conscrypt.isConscrypt(((BlockingTlsStack) stack).provider())).isTrue();
            Results.RoundTrips result = stack.requestResponse(Duration.ofMillis(50), Duration.ofMillis(100), 64);
            assertThat(result.count()).isPositive();
        }
        assertThat(Security.getProviders()).noneMatch(Conscrypt::isConscrypt);
    }
}
