package io.reseau.cli.bench;

import static io.reseau.cli.bench.TlsStack.Handshake.FULL;
import static io.reseau.cli.bench.TlsStack.Handshake.RESUMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Map;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark harness: it measures every metric, reports it, and refuses work not done. */
@Timeout(120)
class BenchmarkTest {

    @Test
    void aPlanRunsOnlyTheScenariosItNames() throws Exception {
        List<String> stacks = List.of(Stacks.JDK, Stacks.RESEAU);
        BenchmarkPlan plan = BenchmarkPlan.smoke(stacks, List.of(Stacks.JDK, Stacks.RESEAU)).withScenarios(Set.of("A", "F"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Measurements measurements = new Benchmark(plan, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        for (Metric metric : Metric.values()) {
            boolean chosen = metric.scenario.startsWith("A") || metric.scenario.startsWith("F");
            assertThat(measurements.summary(metric, Stacks.RESEAU) != null).as("%s measured", metric).isEqualTo(chosen);
        }
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("A request/response").doesNotContain("B bulk", "D1");
    }

    @Test
    void aSmallPlanMeasuresEveryMetricForEveryStackAndReportsTheRatios() throws Exception {
        List<String> stacks = List.of(Stacks.JDK, Stacks.RESEAU);
        BenchmarkPlan plan = BenchmarkPlan.smoke(stacks, List.of(Stacks.JDK, Stacks.RESEAU, TlsStacks.JDK_ENGINE, TlsStacks.RESEAU_ENGINE));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Measurements measurements = new Benchmark(plan, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        boolean openssl = OpensslClients.unavailableReason() == null;
        for (Metric metric : Metric.values()) {
            List<String> measured = metric == Metric.OPENSSL_CONNECTION_RATE ? (openssl ? stacks : List.of())
                    : metric.tls() ? plan.tls().stacks() : plan.stacks();
            for (String stack : measured) {
                Measurements.Summary summary = measurements.summary(metric, stack);
                int runs = switch (metric.scenario) {
                    case "E" -> plan.memoryRepetitions();
                    case "D4" -> plan.tls().memoryRepetitions();
                    default -> plan.repetitions();
                };
                assertThat(summary).as("%s of %s", metric, stack).isNotNull();
                assertThat(summary.samples()).as("%s of %s", metric, stack).hasSize(runs);
                assertThat(summary.min()).as("%s of %s", metric, stack).isLessThanOrEqualTo(summary.median());
                assertThat(summary.median()).isLessThanOrEqualTo(summary.max());
            }
            if (metric.higherIsBetter && !measured.isEmpty()) {
                assertThat(measurements.summary(metric, Stacks.RESEAU).min()).as("%s", metric).isPositive();
            }
        }
        assertThat(measurements.summary(Metric.IDLE_MEMORY, Stacks.JDK).median())
                .as("an idle JDK connection costs something").isPositive();
        assertThat(measurements.summary(Metric.TLS_IDLE_MEMORY, Stacks.JDK).median())
                .as("an idle TLS connection costs something").isPositive();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("A request/response", "B bulk", "C concurrency",
                "D1 TLS 1.3 handshakes, one client at a time", "D1 TLS 1.3 handshakes, 4 clients at once", "D2 TLS bulk",
                "D3 TLS request/response", "D4 memory", "D5 TLS 1.3 resumed handshakes, one client at a time",
                "D5 TLS 1.3 resumed handshakes, 4 clients at once", "E memory", "run 2/2", "handshakes/s (TLS_",
                "F cached lookups of localhost, one thread", "F cached lookups of localhost, 1,000 virtual threads", "lookups/s",
                "G connect to a host whose first address is dead, 1000 ms timeout",
                "D6 TLS 1.3 server sockets, 4 openssl s_time -new at once, 1 s a run" + (openssl ? "" : ": not run"));

        Report report = new Report(plan, measurements, Machine.current(), Map.of("netty-io_uring", "no \"io_uring\" here"),
                Instant.parse("2026-11-21T12:00:00Z"));
        String table = report.table();
        assertThat(table).contains("machine: ", "not run: netty-io_uring", "round trips/s", "MiB/s",
                "× jdk (target ≥ 1.0× jdk: ", "D: TLS 1.3 on jdk, reseau", "D1 TLS handshakes, one client at a time: full handshakes/s",
                "× jdk (target ≥ 4.0× jdk: ", "× jdk (target ≥ 1.6× jdk: ", "D4 idle TLS connections",
                "× jdk-engine (target ≥ 2.5× jdk-engine: ", "× jdk-engine (target ≥ 1.0× jdk-engine: ",
                "F: localhost resolved from cache", "D5 TLS resumed handshakes, clients at once: resumed handshakes/s",
                "× jdk (target ≥ 2.0× jdk: ", "G: dead-first.bench resolves to a silent address",
                "target reseau ≤ 500 ms (two attempt delays): ");
        String json = report.json();
        assertThat(json).startsWith("{").endsWith("}\n").contains("\"reseau/jdk\": ", "\"median\": ", "\"samples\": [",
                "\"no \\\"io_uring\\\" here\"", "\"met\": ", "\"tlsPlan\": {\"stacks\": [\"jdk\", \"reseau\", \"jdk-engine\", \"reseau-engine\"]",
                "\"scenario\": \"D1\"", "\"reseau-engine/jdk-engine\": ", "{\"subject\": \"reseau-engine\", \"peer\": \"jdk-engine\"");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void aCorruptedEchoFailsTheRunInsteadOfCounting() {
        BlockingStack corrupting = BlockingStack.of("corrupting", new AlteringSocketFactory(false), ServerSocketFactory.getDefault());
        assertThatThrownBy(() -> corrupting.requestResponse(Duration.ofMillis(50), Duration.ofMillis(50), 64))
                .isInstanceOf(IOException.class).hasMessageContaining("echo mismatch");
        assertThatThrownBy(() -> corrupting.concurrency(4, 5, 64)).hasMessageContaining("echo mismatch");
    }

    @Test
    void lostBytesFailABulkRun() {
        BlockingStack dropping = BlockingStack.of("dropping", new AlteringSocketFactory(true), ServerSocketFactory.getDefault());
        assertThatThrownBy(() -> dropping.bulk(1 << 20, 64 * 1024))
                .isInstanceOf(IOException.class).hasMessageContaining("counted");
    }

    @Test
    void aResumedHandshakeFailsAFullRunInsteadOfCounting() throws IOException {
        assertThatThrownBy(() -> Results.handshakes(FULL, 90, 1_000_000_000L, 100, 4, 99, "TLS_AES_128_GCM_SHA256"))
                .isInstanceOf(IOException.class).hasMessageContaining("some resumed a session");
        assertThatThrownBy(() -> Results.requireFullHandshakes(20, 0)).hasMessageContaining("some resumed a session");
        assertThatThrownBy(() -> Results.handshakes(FULL, 0, 1_000_000_000L, 3, 1, 3, "TLS_AES_128_GCM_SHA256"))
                .hasMessageContaining("no handshake completed");
        assertThat(Results.handshakes(FULL, 90, 1_000_000_000L, 100, 4, 100, "TLS_AES_128_GCM_SHA256").perSecond())
                .isEqualTo(90.0);
    }

    @Test
    void aFullHandshakeBeyondEachClientsFirstFailsAResumedRunInsteadOfCounting() throws IOException {
        assertThatThrownBy(() -> Results.handshakes(RESUMED, 90, 1_000_000_000L, 100, 4, 5, "TLS_AES_128_GCM_SHA256"))
                .isInstanceOf(IOException.class).hasMessageContaining("some did not resume a session");
        assertThat(Results.handshakes(RESUMED, 90, 1_000_000_000L, 100, 4, 4, "TLS_AES_128_GCM_SHA256").perSecond())
                .isEqualTo(90.0);
    }

    @Test
    void aPlanComparesReseauWithSomething() {
        assertThatThrownBy(() -> BenchmarkPlan.quick(List.of(Stacks.RESEAU), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchmarkPlan.quick(List.of(Stacks.JDK, "netty-epoll"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stacks.named("nonesuch")).hasMessageContaining("unknown stack 'nonesuch'");
        assertThatThrownBy(() -> TlsPlan.quick(List.of(Stacks.JDK))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsStacks.named("nonesuch")).hasMessageContaining("unknown stack 'nonesuch'");
        assertThat(BenchmarkPlan.quick(List.of(Stacks.JDK, Stacks.RESEAU), List.of()).tls().runs()).isFalse();
    }

    /** Client sockets whose writes lose their last byte ({@code drop}) or have their first byte flipped. */
    private static final class AlteringSocketFactory extends SocketFactory {
        private final boolean drop;

        AlteringSocketFactory(boolean drop) {
            this.drop = drop;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket(InetAddress.getByName(host), port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return new Socket(host, port) {
                @Override
                public OutputStream getOutputStream() throws IOException {
                    return new FilterOutputStream(super.getOutputStream()) {
                        @Override
                        public void write(byte[] bytes, int offset, int length) throws IOException {
                            byte[] altered = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
                            if (drop) {
                                out.write(altered, 0, length - 1);
                            } else {
                                altered[0] ^= 0x5a;
                                out.write(altered);
                            }
                        }
                    };
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }
}
