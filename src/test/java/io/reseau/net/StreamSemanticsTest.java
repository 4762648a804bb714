package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.testing.Polling;
import io.reseau.testing.Resources;
import io.reseau.testing.UnansweredAddress;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connect outcomes and stream semantics, as the JDK's socket tests pin them down. */
@Timeout(60)
class StreamSemanticsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    // ---- connect ----

    @Test
    void aRefusedConnectThrowsConnectExceptionAndClosesTheSocket() throws Exception {
        int port;
        try (ServerSocket probe = Peers.jdkListener()) {
            port = probe.getLocalPort();
        }
        Socket socket = ReseauSocketFactory.getDefault().createSocket();
        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                .isInstanceOf(ConnectException.class).hasMessage("Connection refused");
        assertThat(socket.isClosed()).isTrue();
    }

    /** Linux refuses a connect to port 0; the JDK hands it over, and Reseau says the same. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void aConnectToPortZeroIsRefusedAndClosesTheSocket(String implementation) throws Exception {
        SocketFactory factory = implementation.equals("Reseau") ? ReseauSocketFactory.getDefault() : SocketFactory.getDefault();
        Socket socket = resources.track(factory.createSocket());
        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .isInstanceOf(ConnectException.class).hasMessage("Connection refused");
        assertThat(socket.isClosed()).isTrue();
    }

    /**
     * With the JDK's {@code hostInfo} category on, a refused connect names the peer as the JDK's
     * sockets do ("message: name/address:port"), whichever way the socket was connected. The JDK
     * reads its setting once per JVM, so it is the control only for the bare message.
     */
    @Test
    void aRefusedConnectNamesThePeerOnlyWithTheJdksHostInfoCategory() throws Exception {
        int port;
        try (ServerSocket probe = Peers.jdkListener()) {
            port = probe.getLocalPort();
        }
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (Socket jdk = new Socket()) {
            assertThatThrownBy(() -> jdk.connect(loopback)).hasMessage("Connection refused");
        }
        assertThatThrownBy(() -> ReseauSocketFactory.getDefault().createSocket().connect(loopback))
                .hasMessage("Connection refused");
        String previous = System.setProperty("jdk.includeInExceptions", "foo, HostInfo ,bar");
        try {
            assertThatThrownBy(() -> ReseauSocketFactory.getDefault().createSocket().connect(loopback))
                    .isInstanceOf(ConnectException.class).hasMessage("Connection refused: " + loopback);
            assertThatThrownBy(() -> ReseauSocketFactory.getDefault().createSocket("localhost", port))
                    .isInstanceOf(ConnectException.class)
                    .hasMessage("Connection refused: localhost/" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port);
            assertThatThrownBy(() -> ReseauSocketFactory.getDefault().createSocket("127.0.0.1", port))
                    .isInstanceOf(ConnectException.class).hasMessage("Connection refused: /127.0.0.1:" + port);
            System.setProperty("jdk.includeInExceptions", "hostInfoExclSocket"); // the JDK's shipped setting
            assertThatThrownBy(() -> ReseauSocketFactory.getDefault().createSocket("localhost", port))
                    .hasMessage("Connection refused");
        } finally {
            if (previous == null) {
                System.clearProperty("jdk.includeInExceptions");
            } else {
                System.setProperty("jdk.includeInExceptions", previous);
            }
        }
    }

    @Test
    void aConnectTimesOutAndClosesTheSocket() throws Exception {
        InetSocketAddress address = UnansweredAddress.open(resources);
        Socket socket = ReseauSocketFactory.getDefault().createSocket();
        long start = System.nanoTime();
        assertThatThrownBy(() -> socket.connect(address, 300))
                .isInstanceOf(SocketTimeoutException.class).hasMessage("Connect timed out");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(socket.isClosed()).isTrue();
    }

    @Test
    void anUnresolvedHostIsUnknownAndANegativeTimeoutIsIllegal() throws Exception {
        Socket socket = ReseauSocketFactory.getDefault().createSocket();
        assertThatThrownBy(() -> socket.connect(InetSocketAddress.createUnresolved("no-such-host.invalid", 80)))
                .isInstanceOf(UnknownHostException.class).hasMessageContaining("no-such-host.invalid");
        assertThat(socket.isClosed()).isTrue();
        Socket other = resources.track(ReseauSocketFactory.getDefault().createSocket());
        assertThatThrownBy(() -> other.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReseauSocketFactory.getDefault().createSocket("no-such-host.invalid", 80))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void factoryMethodsConnectByNameOrAddressAndBindLocally() throws Exception {
        ServerSocket server = resources.track(Peers.jdkListener());
        CompletableFuture<Integer> remotePort = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    try (Socket peer = server.accept()) {
                        remotePort.complete(peer.getPort());
                    }
                }
            } catch (IOException e) {
                remotePort.completeExceptionally(e);
            }
        });
        Socket byName = resources.track(ReseauSocketFactory.getDefault().createSocket("localhost", server.getLocalPort()));
        assertThat(byName.isConnected()).isTrue();
        assertThat(byName.getInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(byName.getPort()).isEqualTo(server.getLocalPort());
        assertThat(byName.getLocalPort()).isEqualTo(remotePort.get(5, TimeUnit.SECONDS));
        Socket bound = resources.track(ReseauSocketFactory.getDefault().createSocket(InetAddress.getLoopbackAddress(),
                server.getLocalPort(), InetAddress.getLoopbackAddress(), 0));
        assertThat(bound.getLocalAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(bound.getRemoteSocketAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    }

    @Test
    void bindBeforeConnectKeepsTheChosenLocalPort() throws Exception {
        ServerSocket server = resources.track(Peers.jdkListener());
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket peer = server.accept()) {
                seen.complete(peer.getPort());
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        Socket socket = resources.track(ReseauSocketFactory.getDefault().createSocket());
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int local = socket.getLocalPort();
        assertThat(local).isPositive();
        assertThat(socket.isBound()).isTrue();
        socket.connect(server.getLocalSocketAddress());
        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(local);
    }

    // ---- end of stream, reset ----

    @Test
    void readReturnsMinusOneForeverAfterTheEndOfStream() throws Exception {
        Peers.Pair pair = resources.track(Peers.reseauPair());
        pair.server().getOutputStream().write(new byte[] {1, 2});
        pair.server().close();
        InputStream in = pair.client().getInputStream();
        assertThat(in.read()).isEqualTo(1);
        assertThat(in.read()).isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            assertThat(in.read()).isEqualTo(-1);
        }
        pair.client().close();
        assertThat(in.read()).as("the JDK keeps -1 even after close").isEqualTo(-1);
    }

    @Test
    void connectionResetRepeatsOnEveryRead() throws Exception {
        try (ServerSocket jdk = Peers.jdkListener()) {
            Peers.Pair pair = resources.track(Peers.connect(jdk));
            pair.server().setSoLinger(true, 0);
            pair.server().close();
            InputStream in = pair.client().getInputStream();
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessage("Connection reset");
                assertThat(in.available()).isZero();
            }
            pair.client().close();
            assertThatThrownBy(in::read).isInstanceOf(SocketException.class);
            assertThatThrownBy(in::available).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void bytesSentBeforeAResetAreReadableOrTheResetComesFirst() throws Exception {
        try (ServerSocket jdk = Peers.jdkListener()) {
            Peers.Pair pair = resources.track(Peers.connect(jdk));
            InputStream in = pair.client().getInputStream();
            pair.server().getOutputStream().write(new byte[] {1, 2, 3});
            Polling.await(() -> in.available() == 3, "the bytes are in our kernel's buffer before the reset");
            pair.server().setSoLinger(true, 0);
            pair.server().close();
            assertThat(in.read()).isEqualTo(1);
            assertThat(in.read()).isEqualTo(2);
            assertThat(in.read()).isEqualTo(3);
            assertThatThrownBy(in::read).hasMessage("Connection reset");
        }
    }

    @Test
    void soLingerZeroResetsThePeerOnClose() throws Exception {
        try (ServerSocket jdk = Peers.jdkListener()) {
            Peers.Pair pair = resources.track(Peers.connect(jdk));
            pair.client().setSoLinger(true, 0);
            assertThat(pair.client().getSoLinger()).isZero();
            pair.client().close();
            assertThatThrownBy(() -> pair.server().getInputStream().read()).hasMessage("Connection reset");
        }
    }

    // ---- half-close ----

    @Test
    void shutdownOutputSendsFinWhileReadingStillWorks() throws Exception {
        try (ServerSocket jdk = Peers.jdkListener()) {
            Peers.Pair pair = resources.track(Peers.connect(jdk));
            pair.client().getOutputStream().write("request".getBytes());
            pair.client().shutdownOutput();
            assertThat(pair.client().isOutputShutdown()).isTrue();
            assertThat(pair.server().getInputStream().readAllBytes()).asString().isEqualTo("request");
            pair.server().getOutputStream().write("reply".getBytes());
            pair.server().close();
            assertThat(pair.client().getInputStream().readAllBytes()).asString().isEqualTo("reply");
            assertThatThrownBy(() -> pair.client().getOutputStream()).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void aPeersHalfCloseLeavesOurOutputOpen() throws Exception {
        try (ServerSocket jdk = Peers.jdkListener()) {
            Peers.Pair pair = resources.track(Peers.connect(jdk));
            pair.server().shutdownOutput();
            assertThat(pair.client().getInputStream().read()).isEqualTo(-1);
            pair.client().getOutputStream().write("still here".getBytes());
            pair.client().close();
            assertThat(pair.server().getInputStream().readAllBytes()).asString().isEqualTo("still here");
        }
    }

    @Test
    void shutdownInputMakesReadsReturnMinusOneAndAvailableZero() throws Exception {
        Peers.Pair pair = resources.track(Peers.reseauPair());
        InputStream in = pair.client().getInputStream(); // java.net.Socket refuses new streams after shutdownInput
        pair.server().getOutputStream().write(new byte[100]);
        assertThat(Polling.until(in::available, n -> n >= 100)).isEqualTo(100);
        pair.client().shutdownInput();
        assertThat(pair.client().isInputShutdown()).isTrue();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.available()).isZero();
        pair.client().getOutputStream().write(7); // output still works
        assertThat(pair.server().getInputStream().read()).isEqualTo(7);
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void aBlockedReadReturnsMinusOneWhenInputIsShutDownFromAnotherThread(boolean virtual) throws Exception {
        Peers.Pair pair = resources.track(Peers.reseauPair());
        InputStream in = pair.client().getInputStream();
        Thread[] thread = new Thread[1];
        CompletableFuture<Object> outcome = Peers.start(virtual, in::read, thread);
        WaitingThreads.await(thread[0]);
        pair.client().shutdownInput();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void aBlockedWriteFailsWhenOutputIsShutDownFromAnotherThread(boolean virtual) throws Exception {
        Peers.Pair pair = resources.track(Peers.reseauPair());
        Thread[] thread = new Thread[1];
        CompletableFuture<Object> outcome = Peers.start(virtual, () -> {
            pair.client().getOutputStream().write(Peers.bigWrite());
            return "written";
        }, thread);
        WaitingThreads.await(thread[0]);
        pair.client().shutdownOutput();
        assertThat(outcome).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(IOException.class);
    }

    // ---- buffering, closing ----

    @Test
    void availableCountsWhatIsBuffered() throws Exception {
        Peers.Pair pair = resources.track(Peers.reseauPair());
        assertThat(pair.client().getInputStream().available()).isZero();
        pair.server().getOutputStream().write(new byte[5000]);
        assertThat(Polling.until(pair.client().getInputStream()::available, n -> n >= 5000)).isEqualTo(5000);
        assertThat(pair.client().getInputStream().read(new byte[1200])).isEqualTo(1200);
        assertThat(pair.client().getInputStream().available()).isEqualTo(3800);
    }

    @Test
    void closeFlushesWhatWasWrittenBeforeTheEndOfStream() throws Exception {
        try (ServerSocket jdk = Peers.jdkListener()) {
            Peers.Pair pair = resources.track(Peers.connect(jdk));
            byte[] data = new byte[8 << 20];
            new Random(1).nextBytes(data);
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    received.complete(pair.server().getInputStream().readAllBytes());
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            OutputStream out = pair.client().getOutputStream();
            out.write(data);
            pair.client().close(); // returns at once; the bytes still go out, then FIN
            assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(data);
        }
    }

    @Test
    void streamsOfAClosedSocketThrow() throws Exception {
        Peers.Pair pair = resources.track(Peers.reseauPair());
        InputStream in = pair.client().getInputStream();
        OutputStream out = pair.client().getOutputStream();
        pair.client().close();
        assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessage("Socket closed");
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(SocketException.class).hasMessage("Socket closed");
        assertThatThrownBy(() -> pair.client().getInputStream()).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
        assertThatThrownBy(() -> pair.client().getOutputStream()).isInstanceOf(SocketException.class);
        pair.client().close(); // idempotent
    }

    /**
     * A write passes on the kernel's words (strerror), as the JDK's sockets do: the send that
     * meets the peer's reset says ECONNRESET's, the sends after it EPIPE's. That send took the
     * kernel's report of the reset, so a read then finds the end of the stream.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void writesAfterThePeerResetSayConnectionResetByPeerThenBrokenPipe(String implementation) throws Exception {
        Peers.Pair pair = resetConnection(implementation);
        assertThat(firstFailingWrite(pair.client())).isInstanceOf(SocketException.class).hasMessage("Connection reset by peer");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> pair.client().getOutputStream().write(1))
                    .isInstanceOf(SocketException.class).hasMessage("Broken pipe");
        }
        assertThat(pair.client().getInputStream().read()).isEqualTo(-1);
    }

    /**
     * A connection's local address is the kernel's for as long as it is open, both directions
     * shut down or not; closed, java.net.Socket answers the wildcard and the port it had.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void theLocalAddressOutlivesBothShutdownsAndFallsBackToTheWildcardOnClose(String implementation) throws Exception {
        ServerSocket listener = implementation.equals("JDK") ? Peers.jdkListener() : Peers.reseauListener();
        Socket client = implementation.equals("JDK") ? new Socket() : ReseauSocketFactory.getDefault().createSocket();
        Peers.Pair pair = resources.track(Peers.connect(listener, client));
        for (Socket end : List.of(pair.client(), pair.server())) {
            InetSocketAddress local = (InetSocketAddress) end.getLocalSocketAddress();
            assertThat(local.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            end.shutdownInput();
            end.shutdownOutput();
            assertThat(end.getLocalSocketAddress()).isEqualTo(local);
            assertThat(end.getLocalAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            end.close();
            assertThat(end.getLocalPort()).isEqualTo(local.getPort());
            assertThat(end.getLocalAddress().isAnyLocalAddress()).isTrue();
        }
    }

    /** A read that meets the reset says "Connection reset", and keeps saying it; writes then say "Broken pipe". */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void writesAfterAReadMetTheResetSayBrokenPipe(String implementation) throws Exception {
        Peers.Pair pair = resetConnection(implementation);
        assertThatThrownBy(() -> pair.client().getInputStream().read()).hasMessage("Connection reset");
        assertThatThrownBy(() -> pair.client().getOutputStream().write(1))
                .isInstanceOf(SocketException.class).hasMessage("Broken pipe");
        assertThatThrownBy(() -> pair.client().getInputStream().read()).hasMessage("Connection reset");
    }

    /**
     * Writing to a peer that closed: the first write is taken (the peer's kernel answers it with a
     * reset), the ones after say "Broken pipe", and reads still find the end of the stream that
     * came before the reset.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void writesToAPeerThatClosedSayBrokenPipeAndReadsFindTheEnd(String implementation) throws Exception {
        Peers.Pair pair = resources.track(Peers.connect(Peers.jdkListener(), client(implementation)));
        pair.server().close();
        assertThat(firstFailingWrite(pair.client())).isInstanceOf(SocketException.class).hasMessage("Broken pipe");
        assertThat(pair.client().getInputStream().read()).isEqualTo(-1);
        assertThat(pair.client().getInputStream().read()).isEqualTo(-1);
    }

    /** A connection from a client of {@code implementation} to a JDK server that reset it (linger 0). */
    private Peers.Pair resetConnection(String implementation) throws Exception {
        Peers.Pair pair = resources.track(Peers.connect(Peers.jdkListener(), client(implementation)));
        pair.server().setSoLinger(true, 0);
        pair.server().close();
        return pair;
    }

    private static Socket client(String implementation) throws IOException {
        return implementation.equals("Reseau") ? ReseauSocketFactory.getDefault().createSocket() : new Socket();
    }

    /** Writes until a write fails (the peer's reset must arrive first), and says how it failed. */
    private static IOException firstFailingWrite(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        return Polling.until(() -> {
            try {
                out.write(new byte[1024]);
                return null;
            } catch (IOException e) {
                return e;
            }
        }, Objects::nonNull);
    }

    @Test
    void aJdkClientTalksToAReseauServer() throws Exception {
        ServerSocket server = resources.track(Peers.reseauListener());
        CompletableFuture<String> heard = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket peer = server.accept()) {
                byte[] bytes = peer.getInputStream().readNBytes(5);
                peer.getOutputStream().write(new StringBuilder(new String(bytes)).reverse().toString().getBytes());
                heard.complete(new String(bytes));
            } catch (IOException e) {
                heard.completeExceptionally(e);
            }
        });
        try (Socket jdk = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            jdk.getOutputStream().write("hello".getBytes());
            assertThat(new String(jdk.getInputStream().readNBytes(5))).isEqualTo("olleh");
        }
        assertThat(heard.get(5, TimeUnit.SECONDS)).isEqualTo("hello");
    }
}
