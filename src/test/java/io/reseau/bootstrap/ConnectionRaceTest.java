package io.reseau.bootstrap;

import static io.reseau.testing.RacedHost.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.channel.Channel;
import io.reseau.common.IoError;
import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.RecordType;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketChannelHandler;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import io.reseau.testing.Polling;
import io.reseau.testing.RacedHost;
import io.reseau.testing.TcpTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client bootstrap's Happy Eyeballs (RFC 8305) on loopback: a scripted answer for one host
 * name, whose addresses (127.0.0.x and ::1, one port) listen, refuse at once (nothing listens) or
 * never answer (a listener whose accept queue is full drops SYNs).
 */
@Timeout(60)
class ConnectionRaceTest extends BootstrapFixture {
    private static final String HOST = RacedHost.NAME;
    private static final Duration LONG = Duration.ofSeconds(30);

    private final RacedHost host = new RacedHost(resources);
    private final int port = host.port();

    ConnectionRaceTest() throws Exception {}

    private record Outcome(Channel channel, IoError error, ConnectAttempt attempt) {
        Socket socket() {
            return ((SocketChannelHandler) channel.firstSlot().handler()).socket();
        }

        SocketAddress remote() {
            return socket().remoteAddress();
        }
    }

    private record Setup(Channel channel, IoError error) {}

    private Outcome connect(CachingHostResolver resolver, ClientConnectionOptions options) throws Exception {
        CompletableFuture<Setup> setup = new CompletableFuture<>();
        ConnectAttempt attempt = new ClientBootstrap(group, resolver).connect(options.withOnSetup((channel, error) -> {
            if (channel != null) {
                resources.track(() -> channel.shutdown(null));
            }
            setup.complete(new Setup(channel, error));
        }));
        Setup done = setup.get(LONG.toSeconds(), TimeUnit.SECONDS);
        return new Outcome(done.channel(), done.error(), attempt);
    }

    private ClientConnectionOptions options(Duration connectTimeout) {
        return ClientConnectionOptions.tcp(HOST, port, SocketDomain.IPV6, (c, e) -> {}, null)
                .withSocketOptions(SocketOptions.tcp(SocketDomain.IPV6).withConnectTimeout(connectTimeout));
    }

    private long fillersConnecting() {
        return TcpTable.count(TcpTable.State.SYN_SENT, port);
    }

    @Test
    void aFirstAddressThatNeverAnswersLosesToTheSecondAfterTheAttemptDelayNotTheTimeout() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(host.unanswered("127.0.0.2"), ip("127.0.0.1"));
        long fillers = fillersConnecting();
        long start = System.nanoTime();
        Outcome outcome = connect(resolver, options(LONG));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.remote()).isEqualTo(new InetSocketAddress(ip("127.0.0.1"), port));
        assertThat(took).as("connected after the attempt delay, not the 30 s timeout").isLessThan(Duration.ofSeconds(10));
        Polling.await(() -> fillersConnecting() == fillers, "the losing attempt closed: no SYN of ours still unanswered");
        assertThat(outcome.attempt().failedAttempts()).as("the loser was closed, not failed").isEmpty();
        assertThat(resolver.addressCount(HOST, RecordType.A)).as("nothing recorded as failed").isEqualTo(2);
    }

    @Test
    void aFirstAddressThatRefusesMakesWayAtOnceAndIsRecordedWithTheResolver() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(ip("127.0.0.3"), ip("127.0.0.1"));
        // With an hour between attempts, only the refusal can start the second one.
        Outcome outcome = connect(resolver, options(LONG).withConnectionAttemptDelay(Duration.ofHours(1)));
        assertThat(outcome.error()).isNull();
        assertThat(outcome.remote()).isEqualTo(new InetSocketAddress(ip("127.0.0.1"), port));
        assertThat(outcome.attempt().failedAttempts())
                .containsExactly(new FailedAttempt(new InetSocketAddress(ip("127.0.0.3"), port), IoError.SOCKET_CONNECTION_REFUSED));
        assertThat(resolver.addressCount(HOST, RecordType.A)).as("the refusing address left the good set").isEqualTo(1);
        assertThat(resolver.statistics().connectionFailures()).isEqualTo(1);
    }

    @Test
    void whenEveryAddressFailsTheRefusalIsReportedAndEveryAttemptListedWithinTheTimeout() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(host.unanswered("127.0.0.2"), ip("127.0.0.3"));
        long start = System.nanoTime();
        Outcome outcome = connect(resolver, options(Duration.ofSeconds(1)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(outcome.error()).as("a refusal tells more than a timeout").isEqualTo(IoError.SOCKET_CONNECTION_REFUSED);
        assertThat(outcome.attempt().failedAttempts()).as("in the order tried").containsExactly(
                new FailedAttempt(new InetSocketAddress(ip("127.0.0.2"), port), IoError.SOCKET_TIMEOUT),
                new FailedAttempt(new InetSocketAddress(ip("127.0.0.3"), port), IoError.SOCKET_CONNECTION_REFUSED));
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(resolver.statistics().connectionFailures()).isEqualTo(2);
    }

    @Test
    void theConnectTimeoutBoundsTheWholeRaceNotEachAttempt() throws Exception {
        // Eight addresses that never answer, half a second apart, one second in all: an attempt
        // starts at 0 and at 0.5 s, the others never; a timeout per attempt would take 4.5 s.
        InetAddress[] silent = IntStream.rangeClosed(2, 9).mapToObj(i -> {
            try {
                return host.unanswered("127.0.0." + i);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toArray(InetAddress[]::new);
        CachingHostResolver resolver = host.resolverAnswering(silent);
        long start = System.nanoTime();
        Outcome outcome = connect(resolver, options(Duration.ofSeconds(1)).withConnectionAttemptDelay(Duration.ofMillis(500)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(outcome.error()).isEqualTo(IoError.SOCKET_TIMEOUT);
        assertThat(outcome.attempt().failedAttempts()).as("no attempt starts once the time is up")
                .hasSizeLessThan(silent.length)
                .allSatisfy(failed -> assertThat(failed.error()).isEqualTo(IoError.SOCKET_TIMEOUT));
        assertThat(took).isLessThan(Duration.ofMillis(3500));
    }

    @Test
    void ipv6IsTriedFirstAndWinsWhenBothFamiliesListen() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(ip("127.0.0.1"), host.listening("::1"));
        Outcome outcome = connect(resolver, options(LONG));
        assertThat(outcome.error()).isNull();
        assertThat(outcome.remote()).isEqualTo(new InetSocketAddress(ip("::1"), port));
    }

    @Test
    void aBrokenIpv6AddressFallsBackToIpv4() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(ip("127.0.0.1"), host.unanswered("::1"));
        Outcome outcome = connect(resolver, options(LONG));
        assertThat(outcome.error()).isNull();
        assertThat(outcome.remote()).isEqualTo(new InetSocketAddress(ip("127.0.0.1"), port));
    }

    @Test
    void aCallersUnboundSocketRacesWithSiblingsThatHaveItsOptions() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(host.unanswered("127.0.0.2"), ip("127.0.0.1"));
        Socket own = new Socket(SocketOptions.tcp(SocketDomain.IPV6).withConnectTimeout(LONG));
        own.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        own.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        Outcome outcome = connect(resolver, options(LONG).withSocket(own));
        assertThat(outcome.error()).isNull();
        Socket winner = outcome.socket();
        assertThat(winner).as("a sibling won: the caller's socket tried the silent address").isNotSameAs(own);
        assertThat(own.isOpen()).as("the losing caller's socket is closed").isFalse();
        CompletableFuture<List<Object>> options = new CompletableFuture<>();
        outcome.channel().eventLoop().execute(() -> {
            try {
                options.complete(List.of(winner.getOption(StandardSocketOptions.SO_RCVBUF),
                        winner.getOption(StandardSocketOptions.SO_KEEPALIVE)));
            } catch (Exception e) {
                options.completeExceptionally(e);
            }
        });
        assertThat(options.get(5, TimeUnit.SECONDS)).satisfiesExactly(
                size -> assertThat((Integer) size).isGreaterThanOrEqualTo(32 * 1024).isLessThan(256 * 1024),
                keepAlive -> assertThat(keepAlive).isEqualTo(true));
    }

    @Test
    void aCallersBoundSocketMakesTheOnlyAttempt() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(host.unanswered("127.0.0.2"), ip("127.0.0.1"));
        Socket own = new Socket(SocketOptions.tcp(SocketDomain.IPV6).withConnectTimeout(Duration.ofSeconds(1)));
        own.bind(new InetSocketAddress(ip("::"), 0));
        Outcome outcome = connect(resolver, options(LONG).withSocket(own));
        assertThat(outcome.error()).isEqualTo(IoError.SOCKET_TIMEOUT);
        assertThat(outcome.attempt().failedAttempts()).extracting(FailedAttempt::address)
                .containsExactly(new InetSocketAddress(ip("127.0.0.2"), port));
    }

    @Test
    void cancellingARaceClosesEveryAttempt() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(host.unanswered("127.0.0.2"), host.unanswered("127.0.0.3"));
        long fillers = fillersConnecting();
        CompletableFuture<IoError> setup = new CompletableFuture<>();
        ConnectAttempt attempt = new ClientBootstrap(group, resolver).connect(options(LONG)
                .withConnectionAttemptDelay(Duration.ofMillis(10)).withOnSetup((channel, error) -> setup.complete(error)));
        Polling.await(() -> fillersConnecting() == fillers + 2, "both attempts connecting");
        attempt.cancel();
        assertThat(setup.get(5, TimeUnit.SECONDS)).isEqualTo(IoError.OPERATION_CANCELLED);
        Polling.await(() -> fillersConnecting() == fillers, "both attempts closed");
        assertThat(attempt.failedAttempts()).isEmpty();
    }
}
