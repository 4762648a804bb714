package io.reseau.bench.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reseau.cli.bench.Results;
import io.reseau.cli.bench.Stack;
import io.reseau.cli.bench.StackProvider;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario, small, on each Netty transport this machine offers. */
@Timeout(60)
class NettyStackTest {
    static Stream<Named<StackProvider>> transports() {
        return Stream.<StackProvider>of(new NettyEpollProvider(), new NettyIoUringProvider())
                .map(provider -> Named.of(provider.name(), provider));
    }

    private static Stack open(StackProvider provider) throws Exception {
        String reason = provider.unavailableReason();
        assumeTrue(reason == null, reason);
        Stack stack = provider.create();
        assertThat(stack.name()).isEqualTo(provider.name());
        return stack;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void requestResponseTimesCheckedRoundTrips(StackProvider provider) throws Exception {
        try (Stack stack = open(provider)) {
            Results.RoundTrips result = stack.requestResponse(Duration.ofMillis(200), Duration.ofMillis(300), 64);
            assertThat(result.count()).isPositive();
            assertThat(result.perSecond()).isPositive();
            assertThat(result.p50Nanos()).isPositive().isLessThanOrEqualTo(result.p99Nanos());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void bulkDeliversEveryByte(StackProvider provider) throws Exception {
        try (Stack stack = open(provider)) {
            Results.Bulk result = stack.bulk(32L * 1024 * 1024, 64 * 1024);
            assertThat(result.bytes()).isEqualTo(32L * 1024 * 1024);
            assertThat(result.mibPerSecond()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void concurrencyCompletesEveryRoundTrip(StackProvider provider) throws Exception {
        try (Stack stack = open(provider)) {
            Results.Concurrency result = stack.concurrency(50, 20, 64);
            assertThat(result.roundTrips()).isEqualTo(50 * 20);
            assertThat(result.perSecond()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void idleConnectionsOpenAndClose(StackProvider provider) throws Exception {
        try (Stack stack = open(provider)) {
            stack.openIdle(100).close();
        }
    }
}
