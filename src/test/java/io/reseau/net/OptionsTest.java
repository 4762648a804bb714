package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reseau.testing.Resources;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Socket options and address getters, before and after connecting; the server socket's own. */
@Timeout(30)
class OptionsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void supportedOptionsIncludeTheStandardAndExtendedOnes() throws Exception {
        Socket socket = resources.track(ReseauSocketFactory.getDefault().createSocket());
        assertThat(socket.supportedOptions()).contains(StandardSocketOptions.TCP_NODELAY,
                StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_LINGER,
                StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF, ExtendedSocketOptions.TCP_KEEPIDLE,
                ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT);
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.SO_BROADCAST, true))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * The JDK's sockets offer what the kernel has of jdk.net's options, its server sockets those
     * but the ones only a connection uses; Reseau's offer the same.
     */
    @Test
    void clientAndServerSocketsSupportTheOptionsTheJdksDo() throws Exception {
        try (Socket jdk = new Socket(); ServerSocket jdkServer = new ServerSocket()) {
            assertThat(resources.track(ReseauSocketFactory.getDefault().createSocket()).supportedOptions())
                    .containsExactlyInAnyOrderElementsOf(jdk.supportedOptions());
            assertThat(resources.track(ReseauServerSocketFactory.getDefault().createServerSocket()).supportedOptions())
                    .containsExactlyInAnyOrderElementsOf(jdkServer.supportedOptions());
        }
    }

    /** TCP_QUICKACK reaches the kernel; SO_INCOMING_NAPI_ID is read (0 on loopback) and refuses a value. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void quickAckIsSetAndTheNapiIdIsOnlyRead(String implementation) throws Exception {
        SocketFactory factory = sockets(implementation);
        try (Socket jdk = new Socket()) {
            assumeTrue(jdk.supportedOptions().containsAll(
                    List.of(ExtendedSocketOptions.TCP_QUICKACK, ExtendedSocketOptions.SO_INCOMING_NAPI_ID)),
                    "the kernel has TCP_QUICKACK and SO_INCOMING_NAPI_ID");
        }
        Socket unconnected = resources.track(factory.createSocket());
        Socket connected = accepted(resources.track(Peers.jdkListener()), factory.createSocket()).client();
        for (Socket socket : List.of(unconnected, connected)) {
            socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
            assertThat(socket.getOption(ExtendedSocketOptions.TCP_QUICKACK)).isFalse();
            socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            assertThat(socket.getOption(ExtendedSocketOptions.TCP_QUICKACK)).isTrue();
            assertThat(socket.getOption(ExtendedSocketOptions.SO_INCOMING_NAPI_ID)).isZero();
            assertThatThrownBy(() -> socket.setOption(ExtendedSocketOptions.SO_INCOMING_NAPI_ID, 1))
                    .isExactlyInstanceOf(SocketException.class).hasMessage("Attempt to set read only option SO_INCOMING_NAPI_ID");
            assertThatThrownBy(() -> socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid value 'null'");
        }
    }

    @Test
    void optionsSetBeforeConnectingHoldAfterwardsAndCanChange() throws Exception {
        ServerSocket server = Peers.reseauListener();
        Socket socket = ReseauSocketFactory.getDefault().createSocket();
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 45);
        socket.setReceiveBufferSize(64 * 1024);
        socket.setSendBufferSize(64 * 1024);
        socket.setSoTimeout(1234);
        Peers.Pair pair = accepted(server, socket);
        Socket client = pair.client();
        assertThat(client.getTcpNoDelay()).isTrue();
        assertThat(client.getKeepAlive()).isTrue();
        assertThat(client.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(45);
        assertThat(client.getReceiveBufferSize()).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(client.getSendBufferSize()).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(client.getSoTimeout()).isEqualTo(1234);

        client.setTcpNoDelay(false);
        assertThat(client.getTcpNoDelay()).isFalse();
        client.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 7);
        client.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        assertThat(client.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(7);
        assertThat(client.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(3);
        client.setReuseAddress(true);
        assertThat(client.getReuseAddress()).isTrue();
        client.setSoLinger(true, 5);
        assertThat(client.getSoLinger()).isEqualTo(5);
        client.setSoLinger(false, 0);
        assertThat(client.getSoLinger()).isEqualTo(-1);
        client.setTrafficClass(0x10);
        assertThat(client.getTrafficClass()).isEqualTo(0x10);
        assertThatThrownBy(() -> client.setSoTimeout(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.setReceiveBufferSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.setOption(StandardSocketOptions.IP_TOS, 256))
                .isInstanceOf(IllegalArgumentException.class);
        // Linux refuses a keep-alive idle time of 0: the caller hears it at once, as from the JDK.
        assertThatThrownBy(() -> client.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 0)).isInstanceOf(SocketException.class);
        assertThat(client.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(45);
    }

    @Test
    void addressGettersFollowTheConnection() throws Exception {
        ServerSocket server = Peers.reseauListener();
        Socket socket = ReseauSocketFactory.getDefault().createSocket();
        assertThat(socket.getInetAddress()).isNull();
        assertThat(socket.getPort()).isZero();
        assertThat(socket.getLocalPort()).isEqualTo(-1);
        assertThat(socket.isConnected()).isFalse();
        Peers.Pair pair = accepted(server, socket);
        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(socket.getPort()).isEqualTo(server.getLocalPort());
        assertThat(socket.getLocalAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(socket.getLocalSocketAddress()).isEqualTo(pair.server().getRemoteSocketAddress());
        assertThat(pair.server().getLocalPort()).isEqualTo(server.getLocalPort());
        assertThat(pair.server().getInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        socket.close();
        assertThat(socket.getInetAddress()).as("kept after close, as the JDK").isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(socket.getPort()).isEqualTo(server.getLocalPort());
    }

    @Test
    void aServerSocketOnPortZeroGetsAPortAndTimesOutAccepts() throws Exception {
        ServerSocket server = resources.track(
                ReseauServerSocketFactory.getDefault().createServerSocket(0, 5, InetAddress.getLoopbackAddress()));
        assertThat(server.getLocalPort()).isPositive();
        assertThat(server.getInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(server.getLocalSocketAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        server.setSoTimeout(200);
        assertThat(server.getSoTimeout()).isEqualTo(200);
        assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class).hasMessage("Accept timed out");
        server.setSoTimeout(0);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            assertThat(peer.getRemoteSocketAddress()).isEqualTo(client.getLocalSocketAddress());
        }
    }

    @Test
    void anUnboundServerSocketBindsLaterAndRefusesABusyPort() throws Exception {
        ServerSocket first = resources.track(ReseauServerSocketFactory.getDefault().createServerSocket());
        assertThat(first.isBound()).isFalse();
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertThat(first.isBound()).isTrue();
        ServerSocket second = resources.track(ReseauServerSocketFactory.getDefault().createServerSocket());
        assertThatThrownBy(() -> second.bind(first.getLocalSocketAddress()))
                .isInstanceOf(java.net.BindException.class).hasMessage("Address already in use");
        assertThatThrownBy(() -> ReseauServerSocketFactory.getDefault().createServerSocket(70000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * SO_REUSEADDR as the JDK has it on Linux: off for a new client socket, on for a new server
     * socket, and each setter reaches the kernel: two client sockets without it cannot share a port,
     * and a connection accepted by a listener without it has it off too (the kernel copies it).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void addressReuseStartsAsTheJdksAndFollowsItsSetters(String implementation) throws Exception {
        boolean reseau = implementation.equals("Reseau");
        SocketFactory sockets = reseau ? ReseauSocketFactory.getDefault() : SocketFactory.getDefault();
        ServerSocketFactory servers = reseau ? ReseauServerSocketFactory.getDefault() : ServerSocketFactory.getDefault();
        Socket client = resources.track(sockets.createSocket());
        assertThat(client.getReuseAddress()).isFalse();
        client.setReuseAddress(true);
        assertThat(client.getReuseAddress()).isTrue();
        client.setReuseAddress(false);
        assertThat(client.getReuseAddress()).isFalse();
        client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Socket sameAddress = resources.track(sockets.createSocket());
        assertThatThrownBy(() -> sameAddress.bind(client.getLocalSocketAddress())).isInstanceOf(BindException.class);

        ServerSocket reusing = resources.track(servers.createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        assertThat(reusing.getReuseAddress()).isTrue();
        ServerSocket exclusive = resources.track(servers.createServerSocket());
        assertThat(exclusive.getReuseAddress()).isTrue();
        exclusive.setReuseAddress(false);
        assertThat(exclusive.getReuseAddress()).isFalse();
        exclusive.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertThat(exclusive.getReuseAddress()).isFalse();

        assertThat(accepted(reusing, sockets.createSocket()).server().getReuseAddress()).isTrue();
        assertThat(accepted(exclusive, sockets.createSocket()).server().getReuseAddress()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void badOptionValuesAreRefusedInTheJdksWords(String implementation) throws Exception {
        SocketFactory factory = implementation.equals("Reseau") ? ReseauSocketFactory.getDefault() : SocketFactory.getDefault();
        Socket socket = resources.track(factory.createSocket());
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.SO_RCVBUF, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid send/receive buffer size");
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.SO_SNDBUF, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid send/receive buffer size");
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.IP_TOS, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid IP_TOS value");
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.IP_TOS, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid IP_TOS value");
    }

    /**
     * The JDK passes keep-alive timings on to the kernel, which refuses those out of its bounds
     * (negative, zero, beyond them): the caller gets the kernel's words in a SocketException, before
     * and after connecting, and the option keeps its value.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void keepAliveTimingsTheKernelRefusesFailInItsWords(String implementation) throws Exception {
        SocketFactory factory = sockets(implementation);
        Socket unconnected = resources.track(factory.createSocket());
        Socket connected = accepted(resources.track(Peers.jdkListener()), factory.createSocket()).client();
        for (Socket socket : List.of(unconnected, connected)) {
            for (SocketOption<Integer> timing : List.of(ExtendedSocketOptions.TCP_KEEPIDLE,
                    ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT)) {
                socket.setOption(timing, 5);
                for (int refused : new int[] {-1, Integer.MIN_VALUE, 0, 1 << 20}) {
                    assertThatThrownBy(() -> socket.setOption(timing, refused)).as("%s = %d", timing, refused)
                            .isExactlyInstanceOf(SocketException.class).hasMessage("Invalid argument");
                }
                assertThat(socket.getOption(timing)).isEqualTo(5);
            }
        }
    }

    /**
     * Options set on a server socket, before or after binding, reach the kernel at once and hold for
     * the connections it accepts, which the kernel makes with the listener's settings.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void optionsSetOnAServerSocketHoldForItsConnections(String implementation) throws Exception {
        ServerSocket server = resources.track(servers(implementation).createServerSocket());
        server.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 77);
        server.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 11);
        server.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 4);
        server.setOption(StandardSocketOptions.IP_TOS, 0x20);
        assertThat(server.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(77);
        assertThat(server.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(11);
        assertThat(server.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
        assertThat(server.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0x20);
        int receiveBuffer = server.getReceiveBufferSize();
        assertThat(receiveBuffer).isGreaterThanOrEqualTo(32 * 1024).isEqualTo(server.getOption(StandardSocketOptions.SO_RCVBUF));

        Socket connection = accepted(server, new Socket()).server();
        assertThat(connection.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(77);
        assertThat(connection.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(11);
        assertThat(connection.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
        assertThat(connection.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0x20);
        assertThat(connection.getReceiveBufferSize()).isEqualTo(receiveBuffer);
    }

    /** SO_REUSEPORT, set before binding, lets two server sockets listen on one port. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void serverSocketsWithSoReusePortShareAPort(String implementation) throws Exception {
        ServerSocket first = resources.track(servers(implementation).createServerSocket());
        ServerSocket second = resources.track(servers(implementation).createServerSocket());
        for (ServerSocket server : List.of(first, second)) {
            assertThat(server.getOption(StandardSocketOptions.SO_REUSEPORT)).isFalse();
            server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertThat(server.getOption(StandardSocketOptions.SO_REUSEPORT)).isTrue();
        }
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        second.bind(first.getLocalSocketAddress());
        assertThat(second.getLocalPort()).isEqualTo(first.getLocalPort());
        first.close(); // the kernel would share the connections out between the two
        assertThat(accepted(second, new Socket()).server().getOption(StandardSocketOptions.SO_REUSEPORT)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void aServerSocketRefusesBadOptionValuesInTheJdksWords(String implementation) throws Exception {
        ServerSocket server = resources.track(servers(implementation).createServerSocket());
        assertThatThrownBy(() -> server.setOption(StandardSocketOptions.IP_TOS, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid IP_TOS value");
        assertThatThrownBy(() -> server.setOption(StandardSocketOptions.SO_RCVBUF, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid send/receive buffer size");
        assertThatThrownBy(() -> server.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, -1))
                .isExactlyInstanceOf(SocketException.class).hasMessage("Invalid argument");
        assertThatThrownBy(() -> server.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid value 'null'");
        assertThatThrownBy(() -> server.setOption(StandardSocketOptions.TCP_NODELAY, true))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("'TCP_NODELAY' not supported");
        if (server.supportedOptions().contains(ExtendedSocketOptions.SO_INCOMING_NAPI_ID)) {
            assertThat(server.getOption(ExtendedSocketOptions.SO_INCOMING_NAPI_ID)).isZero();
            assertThatThrownBy(() -> server.setOption(ExtendedSocketOptions.SO_INCOMING_NAPI_ID, 1))
                    .isExactlyInstanceOf(SocketException.class).hasMessage("Attempt to set read only option SO_INCOMING_NAPI_ID");
        }
        server.close();
        assertThatThrownBy(() -> server.getOption(StandardSocketOptions.SO_RCVBUF))
                .isInstanceOf(SocketException.class).hasMessage("Socket is closed");
    }

    private static SocketFactory sockets(String implementation) {
        return implementation.equals("Reseau") ? ReseauSocketFactory.getDefault() : SocketFactory.getDefault();
    }

    private static ServerSocketFactory servers(String implementation) {
        return implementation.equals("Reseau") ? ReseauServerSocketFactory.getDefault() : ServerSocketFactory.getDefault();
    }

    /** As the JDK, a server socket reports the address it was given: its name, and 0.0.0.0 for the wildcard. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void aServerSocketReportsTheAddressItWasBoundTo(String implementation) throws Exception {
        ServerSocketFactory servers = implementation.equals("Reseau") ? ReseauServerSocketFactory.getDefault()
                : ServerSocketFactory.getDefault();
        ServerSocket loopback = resources.track(servers.createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        assertThat(loopback.getInetAddress()).hasToString(InetAddress.getLoopbackAddress().toString());
        ServerSocket wildcard = resources.track(servers.createServerSocket(0));
        assertThat(wildcard.getInetAddress()).hasToString(new InetSocketAddress(0).getAddress().toString());
        wildcard.close();
        assertThat(wildcard.getInetAddress()).hasToString(new InetSocketAddress(0).getAddress().toString());
    }

    @Test
    void theBacklogBoundsConnectionsWaitingForAccept() throws Exception {
        int backlog = 2;
        ServerSocket server = resources.track(
                ReseauServerSocketFactory.getDefault().createServerSocket(0, backlog, InetAddress.getLoopbackAddress()));
        // JDK clients: the kernel completes their handshakes while they wait in a backlog. Ours
        // holds `backlog` connections, then the kernel's own (backlog + 1 on Linux) fills and
        // further connects go unanswered, as they would with a JDK server. Connects come one after
        // another, each done before the next starts, so however slowly the server's threads run,
        // none gets past a listener that stops taking connections the moment its queue is full.
        List<Socket> connected = new ArrayList<>();
        for (int attempt = 0; attempt < 50; attempt++) {
            Socket client = resources.track(new Socket());
            try {
                client.connect(server.getLocalSocketAddress(), 500);
            } catch (java.net.SocketTimeoutException unanswered) {
                break;
            }
            connected.add(client);
        }
        assertThat(connected).hasSizeBetween(backlog, 2 * backlog + 1);
        for (int i = 0; i < connected.size(); i++) {
            try (Socket peer = server.accept()) {
                assertThat(peer.isConnected()).isTrue();
            }
        }
        try (Socket late = new Socket()) {
            late.connect(server.getLocalSocketAddress(), 5000);
            try (Socket peer = server.accept()) {
                assertThat(peer.getRemoteSocketAddress()).isEqualTo(late.getLocalSocketAddress());
            }
        }
    }

    @Test
    void acceptingAsFastAsConnectionsArriveNeverLeavesTheListenerPaused() throws Exception {
        // With a backlog of one, every arrival fills the queue (the listener pauses) and the
        // waiting accept empties it at once (the listener resumes): the two race every time.
        ServerSocket server = resources.track(
                ReseauServerSocketFactory.getDefault().createServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        server.setSoTimeout(5000);
        java.util.concurrent.atomic.AtomicReference<Exception> acceptFailure = new java.util.concurrent.atomic.AtomicReference<>();
        int connections = 300;
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < connections; i++) {
                    try (Socket peer = server.accept()) {
                        peer.getOutputStream().write(i);
                    }
                }
            } catch (Exception e) {
                acceptFailure.set(e);
            }
        });
        for (int i = 0; i < connections && acceptFailure.get() == null; i++) {
            try (Socket client = new Socket()) {
                // Each client waits to be accepted, so the backlog never overflows: only a
                // listener left paused leaves it waiting.
                client.connect(server.getLocalSocketAddress(), 5000);
                client.setSoTimeout(5000);
                assertThat(client.getInputStream().read()).isEqualTo(i & 0xff);
            }
        }
        acceptor.join();
        assertThat(acceptFailure.get()).isNull();
    }

    private Peers.Pair accepted(ServerSocket server, Socket client) throws Exception {
        return resources.track(Peers.connect(server, client));
    }
}
