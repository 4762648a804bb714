package io.reseau.bench.conscrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reseau.cli.bench.BlockingTlsStack;
import io.reseau.cli.bench.Results;
import io.reseau.testing.FdCount;
import io.reseau.testing.Polling;
import io.reseau.testing.TlsStackChecks;
import java.security.Security;
import java.time.Duration;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scenario D, small, on Conscrypt's provider: its TLS runs, uninstalled, and the work is done and checked. */
@Timeout(60)
class ConscryptStackTest {
    private long descriptorsBefore;

    private static BlockingTlsStack open() throws Exception {
        ConscryptStackProvider provider = new ConscryptStackProvider();
        String reason = provider.unavailableReason();
        assumeTrue(reason == null, reason);
        return (BlockingTlsStack) provider.create();
    }

    /** Loads Conscrypt's library and starts the JDK's pollers, which stay, before any test counts descriptors. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (BlockingTlsStack stack = open()) {
            stack.requestResponse(Duration.ZERO, Duration.ofMillis(10), 64);
        }
    }

    @BeforeEach
    void countDescriptors() {
        descriptorsBefore = FdCount.now();
    }

    /**
     * Conscrypt's server socket leaves the socket it made for an accept that close() ended (two
     * descriptors) open until the GC collects it, as every scenario's server ends. Collected here,
     * so that a later test counting descriptors does not see them close under it.
     */
    @AfterEach
    void collectTheSocketsConscryptLeftOpen() throws InterruptedException {
        long descriptors = Polling.until(() -> {
            System.gc();
            return FdCount.now();
        }, count -> count <= descriptorsBefore);
        assertThat(descriptors).as("descriptors once collected").isLessThanOrEqualTo(descriptorsBefore);
    }

    @Test
    void itsTlsIsConscryptsProviderNotInstalledInTheJvm() throws Exception {
        try (BlockingTlsStack stack = open()) {
            assertThat(stack.name()).isEqualTo("conscrypt");
            assertThat(Conscrypt.isConscrypt(stack.provider())).isTrue();
            assertThat(stack.resumptionUnavailableReason()).contains("setUseSessionTickets");
            Results.RoundTrips result = stack.requestResponse(Duration.ofMillis(50), Duration.ofMillis(100), 64);
            assertThat(result.count()).isPositive();
        }
        assertThat(Security.getProviders()).noneMatch(Conscrypt::isConscrypt);
    }

    @Test
    void everyHandshakeIsFullAndProvedByAnEchoAndResumptionIsRefused() throws Exception {
        try (BlockingTlsStack stack = open()) {
            TlsStackChecks.handshakesAreCountedAsTheirKindSays(stack);
        }
    }

    @Test
    void bulkDeliversEveryByte() throws Exception {
        try (BlockingTlsStack stack = open()) {
            TlsStackChecks.bulkDeliversEveryByte(stack);
        }
    }

    @Test
    void requestResponseTimesCheckedRoundTrips() throws Exception {
        try (BlockingTlsStack stack = open()) {
            TlsStackChecks.requestResponseTimesCheckedRoundTrips(stack);
        }
    }

    @Test
    void idleConnectionsHandshakeOpenAndClose() throws Exception {
        try (BlockingTlsStack stack = open()) {
            stack.openIdle(20).close();
        }
    }
}
