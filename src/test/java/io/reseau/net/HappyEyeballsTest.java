package io.reseau.net;

import static io.reseau.testing.RacedHost.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.HostResolverOptions;
import io.reseau.dns.RecordType;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.testing.ChildJvm;
import io.reseau.testing.FdCount;
import io.reseau.testing.Polling;
import io.reseau.testing.RacedHost;
import io.reseau.testing.Resources;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocking sockets connecting by host name race the host's addresses (RFC 8305): on loopback, with
 * a scripted answer whose addresses (127.0.0.x and ::1, one port) listen, refuse at once (nothing
 * listens) or never answer (a listener whose accept queue is full drops SYNs).
 */
@Timeout(60)
class HappyEyeballsTest {
    private static final String HOST = RacedHost.NAME;

    @RegisterExtension
    final Resources resources = new Resources();
    private final EventLoopGroup group = resources.track(new EventLoopGroup(2));
    private final RacedHost host = new RacedHost(resources);
    private final int port = host.port();

    HappyEyeballsTest() throws Exception {}

    private SocketFactory factory(CachingHostResolver resolver) {
        return ReseauSocketFactory.of(group, resolver);
    }

    @Test
    void aHostWhoseFirstAddressNeverAnswersIsReachedAtItsSecondAndTheLoserLeavesNoDescriptor() throws Exception {
        SocketFactory factory = factory(host.resolverAnswering(host.unanswered("127.0.0.2"), ip("127.0.0.1")));
        long descriptors = FdCount.now();
        long start = System.nanoTime();
        Socket socket = resources.track(factory.createSocket(HOST, port));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(socket.getInetAddress()).isEqualTo(ip("127.0.0.1"));
        assertThat(socket.getInetAddress().getHostName()).as("the address carries the name").isEqualTo(HOST);
        assertThat(socket.getPort()).isEqualTo(port);
        assertThat(took).as("after the attempt delay, not the connect's (unlimited) time").isLessThan(Duration.ofSeconds(10));
        // At most: other tests' descriptors may still be closing.
        assertThat(Polling.until(FdCount::now, n -> n <= descriptors + 1)).as("the winner's descriptor only")
                .isLessThanOrEqualTo(descriptors + 1);
        socket.close();
        assertThat(Polling.until(FdCount::now, n -> n <= descriptors)).as("none left").isLessThanOrEqualTo(descriptors);
    }

    @Test
    void connectWithAnUnresolvedAddressRacesAndRecordsTheRefusalWithTheResolver() throws Exception {
        CachingHostResolver resolver = host.resolverAnswering(ip("127.0.0.3"), ip("127.0.0.1"));
        Socket socket = resources.track(factory(resolver).createSocket());
        socket.connect(InetSocketAddress.createUnresolved(HOST, port), 30_000);
        assertThat(socket.getRemoteSocketAddress()).isEqualTo(new InetSocketAddress(ip("127.0.0.1"), port));
        assertThat(resolver.addressCount(HOST, RecordType.A)).as("127.0.0.3 moved to the failed set").isEqualTo(1);
    }

    @Test
    void whenEveryAddressFailsOneExceptionNamesTheHostAndEveryAddressTriedWithinTheTimeout() throws Exception {
        Socket socket = factory(host.resolverAnswering(host.unanswered("127.0.0.2"), ip("127.0.0.3"))).createSocket();
        long start = System.nanoTime();
        assertThatThrownBy(() -> socket.connect(InetSocketAddress.createUnresolved(HOST, port), 1000))
                .isInstanceOf(ConnectException.class)
                .hasMessage("Connection refused: " + HOST + "; tried 127.0.0.2:" + port + " (socket operation timed out), 127.0.0.3:"
                        + port + " (connection refused)")
                .cause().isInstanceOfSatisfying(IoErrorException.class,
                        cause -> assertThat(cause.error()).isEqualTo(IoError.SOCKET_CONNECTION_REFUSED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(socket.isClosed()).isTrue();
    }

    @Test
    void whenEveryAddressIsSilentTheConnectTimesOutOnceForTheWholeRace() throws Exception {
        Socket socket = factory(host.resolverAnswering(host.unanswered("127.0.0.2"), host.unanswered("::1"))).createSocket();
        assertThatThrownBy(() -> socket.connect(InetSocketAddress.createUnresolved(HOST, port), 1000))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("Connect timed out: " + HOST + "; tried [0:0:0:0:0:0:0:1]:" + port
                        + " (socket operation timed out), 127.0.0.2:" + port + " (socket operation timed out)");
        assertThat(socket.isClosed()).isTrue();
    }

    @Test
    void aNameThatDoesNotResolveIsUnknown() throws Exception {
        SocketFactory factory = factory(resources.track(new CachingHostResolver(HostResolverOptions.defaults().lookup(name -> {
            throw new IoErrorException(IoError.DNS_INVALID_NAME, "no such name");
        }))));
        assertThatThrownBy(() -> factory.createSocket(HOST, port))
                .isInstanceOf(UnknownHostException.class).hasMessage(HOST)
                .cause().isInstanceOfSatisfying(IoErrorException.class,
                        cause -> assertThat(cause.error()).isEqualTo(IoError.DNS_INVALID_NAME));
    }

    @Test
    void ipv6WinsWhenBothFamiliesListen() throws Exception {
        SocketFactory factory = factory(host.resolverAnswering(ip("127.0.0.1"), host.listening("::1")));
        Socket socket = resources.track(factory.createSocket(HOST, port));
        assertThat(socket.getInetAddress()).isInstanceOf(Inet6Address.class).isEqualTo(ip("::1"));
    }

    /** The JDK's properties are read once, at start: each preference runs in a JVM of its own. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-Djava.net.preferIPv6Addresses=false", "-Djava.net.preferIPv4Stack=true"})
    void ipv4WinsWhenTheJvmPrefersIt(String property) throws Exception {
        host.listening("::1");
        try (ChildJvm child = ChildJvm.start(List.of(property), false, RaceWinnerMain.class, Integer.toString(port))) {
            assertThat(child.awaitLine("winner ", Polling.TIMEOUT.multipliedBy(3))).isEqualTo("winner 127.0.0.1");
        }
    }

    @Test
    void withoutAPreferenceTheChildJvmPicksIpv6Too() throws Exception {
        host.listening("::1");
        try (ChildJvm child = ChildJvm.start(List.of(), false, RaceWinnerMain.class, Integer.toString(port))) {
            assertThat(child.awaitLine("winner ", Polling.TIMEOUT.multipliedBy(3))).isEqualTo("winner 0:0:0:0:0:0:0:1");
        }
    }
}
