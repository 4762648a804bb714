package io.reseau.bench.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reseau.cli.bench.TlsStack;
import io.reseau.testing.TlsStackChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scenario D, small, on Netty's OpenSSL engine: the work is done and checked. */
@Timeout(60)
class NettyTlsStackTest {
    private static TlsStack open() throws Exception {
        NettyTcnativeProvider provider = new NettyTcnativeProvider();
        String reason = provider.unavailableReason();
        assumeTrue(reason == null, reason);
        TlsStack stack = provider.create();
        assertThat(stack.name()).isEqualTo("netty-tcnative");
        return stack;
    }

    @Test
    void everyHandshakeIsFullOrResumedAsAskedAndProvedByAnEcho() throws Exception {
        try (TlsStack stack = open()) {
            TlsStackChecks.handshakesAreCountedAsTheirKindSays(stack);
        }
    }

    @Test
    void bulkDeliversEveryByte() throws Exception {
        try (TlsStack stack = open()) {
            TlsStackChecks.bulkDeliversEveryByte(stack);
        }
    }

    @Test
    void requestResponseTimesCheckedRoundTrips() throws Exception {
        try (TlsStack stack = open()) {
            TlsStackChecks.requestResponseTimesCheckedRoundTrips(stack);
        }
    }

    @Test
    void idleConnectionsHandshakeOpenAndClose() throws Exception {
        try (TlsStack stack = open()) {
            stack.openIdle(20).close();
        }
    }
}
