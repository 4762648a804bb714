package io.reseau.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.HandlerStatistics;
import io.reseau.channel.StatisticsHandler;
import io.reseau.common.IoError;
import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.RecordType;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import io.reseau.socket.SocketStatistics;
import io.reseau.testing.FdCount;
import io.reseau.testing.LogCapture;
import io.reseau.testing.Polling;
import io.reseau.testing.TcpTable;
import io.reseau.testing.UnansweredAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Client and server bootstraps over loopback, with the socket handler's behaviours (aws-c-io's socket_handler_test.c). */
@Timeout(60)
class BootstrapTest extends BootstrapFixture {
    BootstrapTest() throws Exception {}

    /** A server whose connections echo, with the given read window (0 = no back-pressure). */
    private SocketListener echoServer(SocketAddress address, SocketOptions options, long window) throws Exception {
        boolean backPressure = window > 0;
        SocketListener listener = server.listen(ServerListenerOptions.tcp(address, options, (channel, error) -> {
            if (channel != null) {
                TestHandlers.install(channel, new TestHandlers.Echo(backPressure ? window : Long.MAX_VALUE));
            }
        }, null).withReadBackPressure(backPressure));
        resources.track(listener);
        return listener;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static int portOf(SocketListener listener) {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    record Connection(Channel channel, ChannelSlot slot) {}

    /** Connects and installs {@code collector} as the client's application handler. */
    private Connection connect(ClientConnectionOptions options, TestHandlers.Collector collector) throws Exception {
        return connect(client, options, collector);
    }

    private static Connection connect(ClientBootstrap bootstrap, ClientConnectionOptions options, TestHandlers.Collector collector)
            throws Exception {
        CompletableFuture<Connection> ready = new CompletableFuture<>();
        bootstrap.connect(options.withOnSetup((channel, error) -> {
            if (error != null) {
                ready.completeExceptionally(new AssertionError("setup failed: " + error));
            } else {
                ready.complete(new Connection(channel, TestHandlers.install(channel, collector)));
            }
        }));
        return ready.get(10, TimeUnit.SECONDS);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void aServerChannelWithoutAnApplicationHandlerReadsNothing() throws Exception {
        SocketListener listener = server.listen(ServerListenerOptions.tcp(loopback(0), SocketOptions.tcp(SocketDomain.IPV4),
                (channel, error) -> { }, null)); // no back-pressure: the window would be unbounded
        resources.track(listener);
        try (LogCapture loopLog = LogCapture.ofPackageOf(EventLoop.class);
                java.net.Socket peer = new java.net.Socket(InetAddress.getLoopbackAddress(), portOf(listener))) {
            peer.getOutputStream().write("nobody reads this".getBytes(StandardCharsets.US_ASCII));
            Polling.assertStaysTrue(() -> loopLog.entries().isEmpty(), Duration.ofMillis(300),
                    "the loop reports no failure (reading with no handler to pass the bytes to)");
        }
    }

    @Test
    void echoOverTcpIpv4() throws Exception {
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        byte[] data = random(1 << 20);
        TestHandlers.Collector collector = new TestHandlers.Collector(data.length, Long.MAX_VALUE, false);
        Connection connection = connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4, (c, e) -> {}, null), collector);
        TestHandlers.write(connection.slot(), data);
        assertThat(collector.received.get(20, TimeUnit.SECONDS)).isEqualTo(data);
    }

    @Test
    void readsAskedForWhileMessagesAreDeliveredLoseAndReorderNothing() throws Exception {
        // One loop for everything, so that a handler can make any channel read, its own included,
        // while the socket handler is still handing over the messages of one readv.
        try (EventLoopGroup oneLoop = new EventLoopGroup(1)) {
            ClientBootstrap sameLoopClient = new ClientBootstrap(oneLoop, resolver);
            List<TestHandlers.Echo> echoes = new java.util.concurrent.CopyOnWriteArrayList<>();
            SocketListener listener = new ServerBootstrap(oneLoop).listen(ServerListenerOptions.tcp(loopback(0),
                    SocketOptions.tcp(SocketDomain.IPV4), (channel, error) -> {
                        if (channel != null) {
                            TestHandlers.Echo echo = new TestHandlers.Echo(Long.MAX_VALUE);
                            echoes.add(echo);
                            TestHandlers.install(channel, echo);
                        }
                    }, null));
            resources.track(listener);
            byte[] first = random(1 << 20);
            byte[] second = random((1 << 20) + 1);
            // Closed windows: the echoes pile up in the clients' kernel buffers until both open at once.
            TestHandlers.Collector firstCollector = new TestHandlers.Collector(first.length, 0, true);
            TestHandlers.Collector secondCollector = new TestHandlers.Collector(second.length, 0, true);
            ClientConnectionOptions options = ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4,
                    (c, e) -> {}, null).withReadBackPressure(true).withMaxReadPerTurn(256 * 1024); // readv fills several messages
            Connection a = connect(sameLoopClient, options, firstCollector);
            Connection b = connect(sameLoopClient, options, secondCollector);
            firstCollector.readWhileTaking.addAll(List.of(a.channel(), b.channel()));
            secondCollector.readWhileTaking.add(b.channel());
            TestHandlers.write(a.slot(), first);
            TestHandlers.write(b.slot(), second);
            Polling.await(() -> echoes.stream().mapToLong(echo -> echo.echoed).sum() >= first.length + second.length,
                    Duration.ofSeconds(20), "the server echoed everything, into the clients' closed windows");
            oneLoop.nextLoop().scheduleNow(new Task("open-windows", status -> {
                a.slot().incrementReadWindow(Integer.MAX_VALUE);
                b.slot().incrementReadWindow(Integer.MAX_VALUE);
            }));
            assertThat(Arrays.mismatch(firstCollector.received.get(30, TimeUnit.SECONDS), first)).isEqualTo(-1);
            assertThat(Arrays.mismatch(secondCollector.received.get(30, TimeUnit.SECONDS), second)).isEqualTo(-1);
        }
    }

    @Test
    void echoWithReadBackPressureOnBothSides() throws Exception {
        // Windows far smaller than the data: every byte moves only as the receivers re-open them.
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 8 * 1024);
        byte[] data = random(4 << 20);
        TestHandlers.Collector collector = new TestHandlers.Collector(data.length, 16 * 1024, true);
        Connection connection = connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4, (c, e) -> {}, null)
                .withReadBackPressure(true), collector);
        TestHandlers.write(connection.slot(), data);
        assertThat(collector.received.get(30, TimeUnit.SECONDS)).isEqualTo(data);
    }

    @Test
    void echoOverIpv6AndAUnixSocket(@TempDir Path dir) throws Exception {
        SocketListener v6 = echoServer(new InetSocketAddress(InetAddress.getByName("::1"), 0), SocketOptions.tcp(SocketDomain.IPV6), 0);
        TestHandlers.Collector overV6 = new TestHandlers.Collector(3, Long.MAX_VALUE, false);
        Connection first = connect(ClientConnectionOptions.tcp("::1", portOf(v6), SocketDomain.IPV6, (c, e) -> {}, null), overV6);
        TestHandlers.write(first.slot(), new byte[] {1, 2, 3});
        assertThat(overV6.received.get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);

        Path path = dir.resolve("echo.sock");
        echoServer(UnixDomainSocketAddress.of(path), SocketOptions.tcp(SocketDomain.LOCAL), 0);
        TestHandlers.Collector overUnix = new TestHandlers.Collector(3, Long.MAX_VALUE, false);
        Connection second = connect(ClientConnectionOptions.tcp(path.toString(), 0, SocketDomain.LOCAL, (c, e) -> {}, null), overUnix);
        TestHandlers.write(second.slot(), new byte[] {4, 5, 6});
        assertThat(overUnix.received.get(10, TimeUnit.SECONDS)).containsExactly(4, 5, 6);
    }

    @Test
    void aHostNameIsResolvedFirst() throws Exception {
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        TestHandlers.Collector collector = new TestHandlers.Collector(2, Long.MAX_VALUE, false);
        Connection connection = connect(ClientConnectionOptions.tcp("localhost", portOf(listener), SocketDomain.IPV4, (c, e) -> {}, null), collector);
        TestHandlers.write(connection.slot(), new byte[] {7, 8});
        assertThat(collector.received.get(10, TimeUnit.SECONDS)).containsExactly(7, 8);
    }

    @Test
    void withoutAResolverTheBootstrapResolvesThroughTheDefaultCache() throws Exception {
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        CachingHostResolver.getDefault().purgeHost("localhost").get(5, TimeUnit.SECONDS);
        long misses = CachingHostResolver.getDefault().statistics().misses();
        connect(new ClientBootstrap(group), ClientConnectionOptions.tcp("localhost", portOf(listener), SocketDomain.IPV4,
                (c, e) -> {}, null), new TestHandlers.Collector(1, Long.MAX_VALUE, false));
        assertThat(CachingHostResolver.getDefault().statistics().misses()).isGreaterThan(misses);
        assertThat(CachingHostResolver.getDefault().addressCount("localhost", RecordType.A)).isPositive();
    }

    @Test
    void closingOneSideShutsDownTheOtherAndTheListenerIsDestroyedLast() throws Exception {
        CompletableFuture<IoError> serverShutdown = new CompletableFuture<>();
        CountDownLatch destroyed = new CountDownLatch(1);
        AtomicInteger incoming = new AtomicInteger();
        SocketListener listener = server.listen(ServerListenerOptions.tcp(loopback(0), SocketOptions.tcp(SocketDomain.IPV4),
                (channel, error) -> {
                    incoming.incrementAndGet();
                    TestHandlers.install(channel, new TestHandlers.Echo(Long.MAX_VALUE));
                },
                (channel, error) -> serverShutdown.complete(error)).withOnDestroy(destroyed::countDown));
        CompletableFuture<IoError> clientShutdown = new CompletableFuture<>();
        Connection connection = connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4,
                (c, e) -> {}, (channel, error) -> clientShutdown.complete(error)), new TestHandlers.Collector(1, Long.MAX_VALUE, false));
        listener.close();
        assertThat(destroyed.getCount()).as("a connection is still open").isEqualTo(1);
        connection.channel().shutdown(null);
        assertThat(clientShutdown.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(serverShutdown.get(10, TimeUnit.SECONDS)).as("the peer's FIN ends the stream").isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(destroyed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(incoming).hasValue(1);
    }

    @Test
    void bytesSentJustBeforeAHangUpAreReadOnceTheWindowOpensOverIpv4() throws Exception {
        readToEndAfterPeerHangUp("127.0.0.1", loopback(0), SocketDomain.IPV4);
    }

    @Test
    void bytesSentJustBeforeAHangUpAreReadOnceTheWindowOpensOverIpv6() throws Exception {
        readToEndAfterPeerHangUp("::1", new InetSocketAddress(InetAddress.getByName("::1"), 0), SocketDomain.IPV6);
    }

    private void readToEndAfterPeerHangUp(String host, InetSocketAddress bind, SocketDomain domain) throws Exception {
        // Several reads' worth (16 KiB each), yet all of it and the FIN fit in the client's kernel
        // buffer: the hang-up is seen while bytes wait unread (aws-c-io's regression test).
        byte[] data = random(40_000);
        CompletableFuture<Void> serverDone = new CompletableFuture<>();
        SocketListener listener = server.listen(ServerListenerOptions.tcp(bind, SocketOptions.tcp(domain), (channel, error) -> {
            ChannelSlot slot = TestHandlers.install(channel, new TestHandlers.Echo(Long.MAX_VALUE));
            TestHandlers.write(slot, data);
            channel.scheduleTaskNow(new io.reseau.channel.ChannelTask("hang-up", s -> channel.shutdown(null)));
        }, (channel, error) -> serverDone.complete(null)));
        resources.track(listener);
        // The client's window starts closed: nothing is read until the server has hung up. Then it
        // opens once, by more than enough: no later grant starts a read that would find the end.
        TestHandlers.Collector collector = new TestHandlers.Collector(data.length, 0, false);
        Connection connection = connect(ClientConnectionOptions.tcp(host, portOf(listener), domain, (c, e) -> {}, null)
                .withReadBackPressure(true), collector);
        serverDone.get(10, TimeUnit.SECONDS);
        Polling.await(() -> TcpTable.count(TcpTable.State.CLOSE_WAIT, portOf(listener)) == 1,
                "the FIN reached the client while its window is still closed");
        assertThat(collector.received).isNotDone();
        connection.channel().eventLoop().scheduleNow(new Task("open-window",
                s -> connection.slot().incrementReadWindow(3L * data.length)));
        assertThat(collector.received.get(10, TimeUnit.SECONDS)).isEqualTo(data);
        assertThat(collector.readShutdown.get(10, TimeUnit.SECONDS)).isEqualTo(IoError.SOCKET_CLOSED);
    }

    @Test
    void aRequestedEventLoopIsUsedForTheChannelAndItsCallbacks() throws Exception {
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        EventLoop pinned = group.loopAt(1);
        for (int i = 0; i < 10; i++) {
            CompletableFuture<String> setup = new CompletableFuture<>();
            client.connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4,
                    (channel, error) -> {
                        setup.complete((channel.eventLoop() == pinned) + " " + pinned.isOnLoopThread());
                        channel.shutdown(null);
                    }, null).withEventLoop(pinned));
            assertThat(setup.get(10, TimeUnit.SECONDS)).isEqualTo("true true");
        }
    }

    @Test
    void aLoopFromAnotherGroupIsRefused() throws Exception {
        try (EventLoopGroup other = new EventLoopGroup(1)) {
            assertThatThrownBy(() -> client.connect(ClientConnectionOptions.tcp("127.0.0.1", 80, SocketDomain.IPV4, (c, e) -> {}, null)
                    .withEventLoop(other.loopAt(0))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_ERROR_IO_PINNED_EVENT_LOOP_MISMATCH");
        }
    }

    @Test
    void aDnsFailureIsReportedOnThePinnedLoopAndNothingShutsDown() throws Exception {
        EventLoop pinned = group.loopAt(0);
        CompletableFuture<String> setup = new CompletableFuture<>();
        AtomicInteger shutdowns = new AtomicInteger();
        client.connect(ClientConnectionOptions.tcp("no-such-host.invalid", 443, SocketDomain.IPV4,
                (channel, error) -> setup.complete(channel + " " + error.name() + " on pinned loop " + pinned.isOnLoopThread()),
                (channel, error) -> shutdowns.incrementAndGet()).withEventLoop(pinned));
        assertThat(setup.get(20, TimeUnit.SECONDS)).matches("null DNS_(INVALID_NAME|QUERY_FAILED|QUERY_AGAIN) on pinned loop true");
        assertThat(shutdowns).hasValue(0);
    }

    @Test
    void aRefusedConnectionIsReportedOnceAndNothingShutsDown() throws Exception {
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        int port = portOf(listener);
        listener.close();
        List<IoError> setups = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch reported = new CountDownLatch(1);
        AtomicInteger shutdowns = new AtomicInteger();
        client.connect(ClientConnectionOptions.tcp("127.0.0.1", port, SocketDomain.IPV4, (channel, error) -> {
            setups.add(error);
            reported.countDown();
        }, (channel, error) -> shutdowns.incrementAndGet()));
        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
        Polling.assertStaysTrue(() -> setups.size() == 1 && shutdowns.get() == 0, Duration.ofMillis(100),
                "no second report, no shutdown");
        assertThat(setups).containsExactly(IoError.SOCKET_CONNECTION_REFUSED);
        assertThat(shutdowns).hasValue(0);
    }

    @Test
    void anAttemptCanBeCancelledWhileItConnects() throws Exception {
        int port = UnansweredAddress.open(resources).getPort();
        long fillersConnecting = TcpTable.count(TcpTable.State.SYN_SENT, port);
        CompletableFuture<IoError> setup = new CompletableFuture<>();
        ConnectAttempt attempt = client.connect(ClientConnectionOptions.tcp("127.0.0.1", port, SocketDomain.IPV4,
                (channel, error) -> setup.complete(error), null)
                .withSocketOptions(SocketOptions.tcp(SocketDomain.IPV4).withConnectTimeout(Duration.ofSeconds(30))));
        Polling.await(() -> TcpTable.count(TcpTable.State.SYN_SENT, port) > fillersConnecting,
                "the attempt's SYN sent and unanswered: it is connecting");
        attempt.cancel();
        assertThat(setup.get(5, TimeUnit.SECONDS)).isEqualTo(IoError.OPERATION_CANCELLED);
    }

    @Test
    void aCallersOwnSocketIsConnectedWithItsBindingAndOptions() throws Exception {
        CompletableFuture<SocketAddress> remoteSeenByServer = new CompletableFuture<>();
        SocketListener listener = server.listen(ServerListenerOptions.tcp(loopback(0), SocketOptions.tcp(SocketDomain.IPV4),
                (channel, error) -> remoteSeenByServer.complete(socketOf(channel).remoteAddress()), null));
        resources.track(listener);
        io.reseau.socket.Socket own = new io.reseau.socket.Socket(SocketOptions.tcp(SocketDomain.IPV6));
        own.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        own.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
        int localPort = ((InetSocketAddress) own.localAddress()).getPort();
        CompletableFuture<Object> setup = new CompletableFuture<>();
        client.connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4, (channel, error) -> {
            try {
                setup.complete(error != null ? error : socketOf(channel) == own
                        ? socketOf(channel).getOption(java.net.StandardSocketOptions.SO_RCVBUF) : "another socket");
            } catch (Throwable e) {
                setup.completeExceptionally(e);
            }
        }, null).withSocket(own));
        assertThat(setup.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(Integer.class,
                size -> assertThat(size).isGreaterThanOrEqualTo(32 * 1024).isLessThan(256 * 1024));
        assertThat(((InetSocketAddress) remoteSeenByServer.get(5, TimeUnit.SECONDS)).getPort()).isEqualTo(localPort);
    }

    /**
     * A listener on the caller's socket: SO_REUSEPORT set before the bootstrap binds lets a second
     * socket share the port, and connections have what the kernel copies from the listener.
     */
    @Test
    void aCallersOwnSocketListensWithItsOptions() throws Exception {
        io.reseau.socket.Socket own = new io.reseau.socket.Socket(SocketOptions.tcp(SocketDomain.IPV4));
        own.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
        own.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 77);
        CompletableFuture<Object> keepIdleOfConnection = new CompletableFuture<>();
        SocketListener listener = server.listen(ServerListenerOptions.tcp(loopback(0), SocketOptions.tcp(SocketDomain.IPV4),
                (channel, error) -> {
                    try {
                        keepIdleOfConnection.complete(error != null ? error
                                : socketOf(channel).getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
                    } catch (Throwable e) {
                        keepIdleOfConnection.completeExceptionally(e);
                    }
                }, null).withSocket(own));
        resources.track(listener);
        io.reseau.socket.Socket sharing = new io.reseau.socket.Socket(SocketOptions.tcp(SocketDomain.IPV4));
        try {
            sharing.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            sharing.bind(loopback(portOf(listener)));
        } finally {
            sharing.close();
        }
        try (java.net.Socket peer = new java.net.Socket(InetAddress.getLoopbackAddress(), portOf(listener))) {
            assertThat(keepIdleOfConnection.get(5, TimeUnit.SECONDS)).isEqualTo(77);
        }
    }

    @Test
    void aHalfClosedChannelSeesTheEndOfStreamAndStillWrites() throws Exception {
        // The peer is a bare socket: it sends, half-closes, then reads our reply.
        io.reseau.socket.Socket listening = new io.reseau.socket.Socket(SocketOptions.tcp(SocketDomain.IPV4));
        listening.bind(loopback(0));
        listening.listen(4);
        EventLoop loop = group.loopAt(0);
        RawPeer peer = new RawPeer(loop);
        listening.startAccept(loop, peer);
        TestHandlers.Collector collector = new TestHandlers.Collector(3, Long.MAX_VALUE, false);
        Connection connection = connect(ClientConnectionOptions.tcp("127.0.0.1",
                ((InetSocketAddress) listening.localAddress()).getPort(), SocketDomain.IPV4, (c, e) -> {}, null)
                .withHalfClose(true), collector);
        peer.sendThenHalfClose(new byte[] {1, 2, 3});
        assertThat(collector.received.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
        assertThat(collector.endOfStream.get(5, TimeUnit.SECONDS)).as("bytes before the end").isEqualTo(3);
        TestHandlers.write(connection.slot(), new byte[] {9, 8});
        assertThat(peer.awaitReceived(2)).containsExactly(9, 8);
        assertThat(connection.channel().state()).isEqualTo(io.reseau.channel.ChannelState.ACTIVE);
        listening.close();
        peer.close();
    }

    @Test
    void aPausedListenerLeavesConnectionsToTheKernelUntilResumed() throws Exception {
        AtomicInteger incoming = new AtomicInteger();
        SocketListener listener = server.listen(ServerListenerOptions.tcp(loopback(0), SocketOptions.tcp(SocketDomain.IPV4),
                (channel, error) -> incoming.incrementAndGet(), null));
        resources.track(listener);
        listener.pauseAccepting();
        CompletableFuture<IoError> connected = new CompletableFuture<>();
        client.connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4,
                (channel, error) -> connected.complete(error), null));
        assertThat(connected.get(5, TimeUnit.SECONDS)).as("the kernel completes the handshake").isNull();
        Polling.assertStaysTrue(() -> incoming.get() == 0, Duration.ofMillis(100), "nothing accepted while paused");
        listener.resumeAccepting();
        assertThat(Polling.until(incoming::get, n -> n > 0)).isEqualTo(1);
    }

    @Test
    void theAcceptWindowStopsTheListenerEvenWithinOneBurstOfQueuedConnections() throws Exception {
        AtomicInteger incoming = new AtomicInteger();
        SocketListener listener = server.listen(ServerListenerOptions.tcp(loopback(0), SocketOptions.tcp(SocketDomain.IPV4),
                (channel, error) -> incoming.incrementAndGet(), null).withAcceptWindow(2));
        resources.track(listener);
        // Paused while six connect, so that all six wait in the kernel and one readable event finds them.
        listener.pauseAccepting();
        List<java.net.Socket> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            java.net.Socket client = resources.track(new java.net.Socket());
            client.connect(listener.localAddress(), 5000);
            clients.add(client);
        }
        listener.resumeAccepting();
        assertThat(Polling.until(incoming::get, n -> n >= 2)).isEqualTo(2);
        Polling.assertStaysTrue(() -> incoming.get() == 2, Duration.ofMillis(200), "no more than the window");
        listener.incrementAcceptWindow(3);
        assertThat(Polling.until(incoming::get, n -> n >= 5)).isEqualTo(5);
        Polling.assertStaysTrue(() -> incoming.get() == 5, Duration.ofMillis(200), "no more than the window");
        listener.incrementAcceptWindow(Long.MAX_VALUE);
        assertThat(Polling.until(incoming::get, n -> n >= clients.size())).isEqualTo(clients.size());
    }

    @Test
    void shuttingOurInputDownEndsTheStreamInHalfCloseModeWithoutClosingTheChannel() throws Exception {
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        TestHandlers.Collector collector = new TestHandlers.Collector(1, Long.MAX_VALUE, false);
        Connection connection = connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4,
                (c, e) -> {}, null).withHalfClose(true), collector);
        connection.channel().eventLoop().scheduleNow(new Task("shut-input", s -> {
            try {
                socketOf(connection.channel()).shutdownInput();
            } catch (io.reseau.common.IoErrorException e) {
                throw new IllegalStateException(e);
            }
            connection.channel().triggerRead(); // reads now fail: that must count as the end, not an error
        }));
        assertThat(collector.endOfStream.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(connection.channel().state()).isEqualTo(io.reseau.channel.ChannelState.ACTIVE);
    }

    private static io.reseau.socket.Socket socketOf(Channel channel) {
        return ((io.reseau.socket.SocketChannelHandler) channel.firstSlot().handler()).socket();
    }

    private static int freePort() throws Exception {
        io.reseau.socket.Socket probe = new io.reseau.socket.Socket(SocketOptions.tcp(SocketDomain.IPV4));
        probe.bind(loopback(0));
        int port = ((InetSocketAddress) probe.localAddress()).getPort();
        probe.close();
        return port;
    }

    @Test
    void badOptionsFailAtOnce() {
        assertThatThrownBy(() -> ClientConnectionOptions.tcp("127.0.0.1", 0, SocketDomain.IPV4, (c, e) -> {}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> ClientConnectionOptions.tcp("127.0.0.1", 65536, SocketDomain.IPV4, (c, e) -> {}, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientConnectionOptions.tcp("", 80, SocketDomain.IPV4, (c, e) -> {}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }

    @Test
    void listeningOnAPortInUseFailsAndLeavesNothingOpen() throws Exception {
        SocketListener first = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        long fds = FdCount.now();
        assertThatThrownBy(() -> server.listen(ServerListenerOptions.tcp(first.localAddress(),
                SocketOptions.tcp(SocketDomain.IPV4), (c, e) -> {}, null)))
                .isInstanceOfSatisfying(io.reseau.common.IoErrorException.class,
                        e -> assertThat(e.error()).isEqualTo(IoError.SOCKET_ADDRESS_IN_USE));
        assertThat(FdCount.now()).isEqualTo(fds);
    }

    @Test
    void socketStatisticsCountTheBytesMoved() throws Exception {
        SocketListener listener = echoServer(loopback(0), SocketOptions.tcp(SocketDomain.IPV4), 0);
        TestHandlers.Collector collector = new TestHandlers.Collector(1000, Long.MAX_VALUE, false);
        Connection connection = connect(ClientConnectionOptions.tcp("127.0.0.1", portOf(listener), SocketDomain.IPV4, (c, e) -> {}, null), collector);
        List<SocketStatistics> reports = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> installed = new CompletableFuture<>();
        connection.channel().eventLoop().scheduleNow(new Task("stats", s -> {
            connection.channel().setStatisticsHandler(new StatisticsHandler() {
                @Override
                public Duration reportInterval() {
                    return Duration.ofMillis(50);
                }

                @Override
                public void processStatistics(long begin, long end, List<HandlerStatistics> statistics, Channel channel) {
                    statistics.stream().filter(SocketStatistics.class::isInstance).map(SocketStatistics.class::cast)
                            .forEach(reports::add);
                }
            });
            installed.complete(null);
        }));
        installed.get(5, TimeUnit.SECONDS);
        TestHandlers.write(connection.slot(), random(1000));
        collector.received.get(10, TimeUnit.SECONDS);
        // Reports come every 50 ms: wait for the ones that count all 1000 bytes each way.
        assertThat(Polling.until(() -> reports.stream().mapToLong(SocketStatistics::bytesWritten).sum(), n -> n >= 1000))
                .as("bytes written").isEqualTo(1000);
        assertThat(Polling.until(() -> reports.stream().mapToLong(SocketStatistics::bytesRead).sum(), n -> n >= 1000))
                .as("bytes read").isEqualTo(1000);
    }
}
