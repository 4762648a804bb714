package io.reseau.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.cli.bench.Results;
import io.reseau.cli.bench.TlsStack;
import java.time.Duration;

/** What the test of every benchmark TLS stack checks alike. */
public final class TlsStackChecks {
    private TlsStackChecks() {}

    /**
     * Short D1 and D5 runs, one client and four: each counts handshakes (Results checks their kind),
     * each proved by an echo. A stack that says it does not resume refuses D5.
     */
    public static void handshakesAreCountedAsTheirKindSays(TlsStack stack) throws Exception {
        for (TlsStack.Handshake kind : TlsStack.Handshake.values()) {
            if (kind == TlsStack.Handshake.RESUMED && stack.resumptionUnavailableReason() != null) {
                assertThatThrownBy(() -> stack.handshakes(kind, 1, Duration.ZERO, Duration.ofMillis(100), 64))
                        .isInstanceOf(UnsupportedOperationException.class);
                continue;
            }
            for (int clients : new int[] {1, 4}) {
                Results.Handshakes result = stack.handshakes(kind, clients, Duration.ofMillis(100), Duration.ofMillis(200), 64);
                assertThat(result.count()).as("%s, %d clients", kind, clients).isPositive();
                assertThat(result.perSecond()).isPositive();
                assertThat(result.cipherSuite()).startsWith("TLS_");
            }
        }
    }

    /** D2, 8 MiB in 64 KiB writes: every byte arrives. */
    public static void bulkDeliversEveryByte(TlsStack stack) throws Exception {
        Results.Bulk result = stack.bulk(8L * 1024 * 1024, 64 * 1024);
        assertThat(result.bytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(result.mibPerSecond()).isPositive();
    }

    /** D3, short: round trips are counted and timed. */
    public static void requestResponseTimesCheckedRoundTrips(TlsStack stack) throws Exception {
        Results.RoundTrips result = stack.requestResponse(Duration.ofMillis(100), Duration.ofMillis(200), 64);
        assertThat(result.count()).isPositive();
        assertThat(result.p50Nanos()).isPositive().isLessThanOrEqualTo(result.p99Nanos());
    }
}
