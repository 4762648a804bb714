package io.reseau.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reseau.testing.TlsStackChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scenario D, small, on JSSE and on Reseau's provider, sockets and engines: the work is done and checked. */
@Timeout(60)
class BlockingTlsStackTest {
    interface Factory {
        BlockingTlsStack create() throws Exception;
    }

    static Stream<Named<Factory>> providers() {
        return Stream.of(Named.of(Stacks.JDK, BlockingTlsStack::jdk), Named.of(Stacks.RESEAU, BlockingTlsStack::reseau),
                Named.of(TlsStacks.JDK_ENGINE, BlockingTlsStack::jdkEngine),
                Named.of(TlsStacks.RESEAU_ENGINE, BlockingTlsStack::reseauEngine),
                Named.of(TlsStacks.RESEAU_STREAM, BlockingTlsStack::reseauStream));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void everyHandshakeIsFullOrResumedAsAskedAndProvedByAnEcho(Factory factory) throws Exception {
        try (BlockingTlsStack stack = factory.create()) {
            TlsStackChecks.handshakesAreCountedAsTheirKindSays(stack);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void bulkDeliversEveryByte(Factory factory) throws Exception {
        try (BlockingTlsStack stack = factory.create()) {
            TlsStackChecks.bulkDeliversEveryByte(stack);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void requestResponseTimesCheckedRoundTrips(Factory factory) throws Exception {
        try (BlockingTlsStack stack = factory.create()) {
            TlsStackChecks.requestResponseTimesCheckedRoundTrips(stack);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void idleConnectionsHandshakeOpenAndClose(Factory factory) throws Exception {
        try (BlockingTlsStack stack = factory.create()) {
            stack.openIdle(20).close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void opensslClientsMakeFullHandshakesWithTheServerSocket(Factory factory) throws Exception {
        assumeTrue(OpensslClients.unavailableReason() == null, "no openssl here");
        try (BlockingTlsStack stack = factory.create()) {
            Results.Connections result = stack.opensslClients(2, 1, 64);
            assertThat(result.count()).isPositive();
            assertThat(result.perSecond()).isPositive();
        }
    }
}
