package io.reseau.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.Libc;
import io.reseau.internal.ffi.SocketCalls;
import io.reseau.testing.FdCount;
import io.reseau.testing.Polling;
import io.reseau.testing.ReceivedBytes;
import io.reseau.testing.Resources;
import io.reseau.testing.TcpTable;
import io.reseau.testing.UnansweredAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The behaviours behind aws-c-io's socket_test.c, on loopback. */
@Timeout(30)
class SocketTest {
    private static final InetSocketAddress ANY_LOOPBACK_V4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    @RegisterExtension
    final Resources resources = new Resources();
    private final LoopFixture fixture = resources.track(new LoopFixture("socket-test")); // closed last

    SocketTest() throws Exception {}

    private Socket socket(SocketOptions options) throws IoErrorException {
        Socket socket = new Socket(options);
        resources.track(socket::close);
        return socket;
    }

    @Test
    void creationMakesANonBlockingCloseOnExecSocketWithTheOptions() throws Exception {
        Socket socket = socket(SocketOptions.tcp(SocketDomain.IPV4).withTcpNoDelay(true).withKeepAlive(60, 10, 5));
        int fd = socket.fd();
        assertThat(Libc.fcntl(fd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK).isNotZero();
        assertThat(Libc.fcntl(fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC).isNotZero();
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR)).isEqualTo(1);
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY)).isEqualTo(1);
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_KEEPALIVE)).isEqualTo(1);
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPIDLE)).isEqualTo(60);
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPINTVL)).isEqualTo(10);
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPCNT)).isEqualTo(5);
        assertThatThrownBy(() -> socket.setOptions(SocketOptions.udp(SocketDomain.IPV4)))
                .isInstanceOf(IllegalArgumentException.class);
        socket.setOptions(SocketOptions.tcp(SocketDomain.IPV4).withKeepAlive(30, 0, 0));
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPIDLE)).isEqualTo(30);

        int exclusive = socket(SocketOptions.tcp(SocketDomain.IPV4).withReuseAddress(false)).fd();
        assertThat(SocketCalls.getIntOption(exclusive, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR)).isZero();
    }

    @Test
    void tcpCommunicationOverIpv4() throws Exception {
        exchange(SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4);
    }

    @Test
    void tcpCommunicationOverIpv6() throws Exception {
        exchange(SocketOptions.tcp(SocketDomain.IPV6), new InetSocketAddress(InetAddress.getByName("::1"), 0));
    }

    @Test
    void localSocketCommunication(@TempDir Path dir) throws Exception {
        exchange(SocketOptions.tcp(SocketDomain.LOCAL), UnixDomainSocketAddress.of(dir.resolve("reseau.sock")));
    }

    @Test
    void tcpThroughASocketBoundToTheLoopbackInterface() throws Exception {
        exchange(SocketOptions.tcp(SocketDomain.IPV4).withNetworkInterface("lo"), ANY_LOOPBACK_V4);
    }

    @Test
    void anUnknownInterfaceIsAnInvalidOption() {
        assertThatThrownBy(() -> new Socket(SocketOptions.tcp(SocketDomain.IPV4).withNetworkInterface("reseau-nope0")))
                .isInstanceOfSatisfying(IoErrorException.class,
                        e -> assertThat(e.error()).isEqualTo(IoError.SOCKET_INVALID_OPTIONS));
    }

    private void exchange(SocketOptions options, java.net.SocketAddress bind) throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, options, bind));
        ReceivedBytes atServer = new ReceivedBytes();
        ReceivedBytes atClient = new ReceivedBytes();
        fixture.run(() -> {
            pair.server().subscribeToReadableEvents(atServer);
            pair.client().subscribeToReadableEvents(atClient);
            return null;
        });
        SocketPeers.WriteResult sent = SocketPeers.write(fixture, pair.client(), "ping".getBytes(StandardCharsets.US_ASCII))
                .get(10, TimeUnit.SECONDS);
        assertThat(sent).isEqualTo(new SocketPeers.WriteResult(null, 4));
        assertThat(new String(atServer.awaitBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        SocketPeers.write(fixture, pair.server(), "pong".getBytes(StandardCharsets.US_ASCII)).get(10, TimeUnit.SECONDS);
        assertThat(new String(atClient.awaitBytes(4), StandardCharsets.US_ASCII)).isEqualTo("pong");
        if (options.domain() != SocketDomain.LOCAL) {
            assertThat(pair.client().remoteAddress()).isEqualTo(pair.listener().localAddress());
            assertThat(pair.server().remoteAddress()).isEqualTo(pair.client().localAddress());
        }
        assertThat(pair.server().eventLoop()).isSameAs(fixture.loop);
    }

    @Test
    void udpCommunicationAfterBindAndConnect() throws Exception {
        Socket server = socket(SocketOptions.udp(SocketDomain.IPV4));
        server.bind(ANY_LOOPBACK_V4);
        assertThat(((InetSocketAddress) server.localAddress()).getPort()).as("port 0 resolved at once").isPositive();
        server.assignToEventLoop(fixture.loop);
        ReceivedBytes received = new ReceivedBytes();
        fixture.run(() -> {
            server.subscribeToReadableEvents(received);
            return null;
        });
        Socket client = socket(SocketOptions.udp(SocketDomain.IPV4));
        CompletableFuture<IoError> connected = new CompletableFuture<>();
        client.connect(server.localAddress(), fixture.loop, (s, e) -> connected.complete(e));
        assertThat(connected.get(5, TimeUnit.SECONDS)).isNull();
        SocketPeers.write(fixture, client, "datagram".getBytes(StandardCharsets.US_ASCII)).get(5, TimeUnit.SECONDS);
        assertThat(new String(received.awaitBytes(8), StandardCharsets.US_ASCII)).isEqualTo("datagram");
    }

    @Test
    void bindingPortZeroReportsTheRealPortAtOnceForTcpAndUdp() throws Exception {
        for (SocketOptions options : List.of(SocketOptions.tcp(SocketDomain.IPV4), SocketOptions.udp(SocketDomain.IPV4))) {
            Socket socket = socket(options);
            socket.bind(ANY_LOOPBACK_V4);
            assertThat(((InetSocketAddress) socket.localAddress()).getPort()).isPositive();
        }
    }

    @Test
    void connectingToAClosedPortIsRefused() throws Exception {
        int port = closedPort();
        Socket client = socket(SocketOptions.tcp(SocketDomain.IPV4));
        CompletableFuture<IoError> result = new CompletableFuture<>();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), fixture.loop,
                (s, e) -> result.complete(e));
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(IoError.SOCKET_CONNECTION_REFUSED);
    }

    @Test
    void connectingToAMissingUnixPathIsAnInvalidPath(@TempDir Path dir) throws Exception {
        Socket client = socket(SocketOptions.tcp(SocketDomain.LOCAL));
        CompletableFuture<IoError> result = new CompletableFuture<>();
        client.connect(UnixDomainSocketAddress.of(dir.resolve("missing.sock")), fixture.loop, (s, e) -> result.complete(e));
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(IoError.FILE_INVALID_PATH);
    }

    @Test
    void bindingAnAddressThisHostDoesNotHaveIsInvalidForTcpAndUdp() throws Exception {
        InetSocketAddress foreign = new InetSocketAddress(InetAddress.getByName("203.0.113.1"), 0);
        for (SocketOptions options : List.of(SocketOptions.tcp(SocketDomain.IPV4), SocketOptions.udp(SocketDomain.IPV4))) {
            Socket socket = socket(options);
            assertThatThrownBy(() -> socket.bind(foreign)).isInstanceOfSatisfying(IoErrorException.class,
                    e -> assertThat(e.error()).isEqualTo(IoError.SOCKET_INVALID_ADDRESS));
        }
    }

    @Test
    void bindingAPortInUseFails() throws Exception {
        Socket first = socket(SocketOptions.tcp(SocketDomain.IPV4));
        first.bind(ANY_LOOPBACK_V4);
        first.listen(8);
        Socket second = socket(SocketOptions.tcp(SocketDomain.IPV4));
        assertThatThrownBy(() -> second.bind(first.localAddress())).isInstanceOfSatisfying(IoErrorException.class,
                e -> assertThat(e.error()).isEqualTo(IoError.SOCKET_ADDRESS_IN_USE));
    }

    @Test
    void connectTimesOutWhenNobodyAnswers() throws Exception {
        Socket client = socket(SocketOptions.tcp(SocketDomain.IPV4).withConnectTimeout(Duration.ofMillis(300)));
        CompletableFuture<IoError> result = new CompletableFuture<>();
        long start = System.nanoTime();
        client.connect(UnansweredAddress.open(resources), fixture.loop, (s, e) -> result.complete(e));
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(IoError.SOCKET_TIMEOUT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(client.isOpen()).as("a timed-out socket is closed").isFalse();
    }

    @Test
    void destroyingTheLoopCancelsAPendingConnect() throws Exception {
        LoopFixture other = new LoopFixture("doomed-loop");
        Socket client = socket(SocketOptions.tcp(SocketDomain.IPV4).withConnectTimeout(Duration.ZERO));
        CompletableFuture<IoError> result = new CompletableFuture<>();
        client.connect(UnansweredAddress.open(resources), other.loop, (s, e) -> result.complete(e));
        other.run(() -> null); // the connect task has run: the socket is waiting for the kernel
        other.close();
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(IoError.EVENT_LOOP_SHUTDOWN);
        client.close(); // the loop is gone: the close runs on this thread
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void closingAConnectingSocketReportsTheConnectOnceAsClosed() throws Exception {
        Socket client = socket(SocketOptions.tcp(SocketDomain.IPV4).withConnectTimeout(Duration.ofMillis(200)));
        List<IoError> results = Collections.synchronizedList(new ArrayList<>());
        client.connect(UnansweredAddress.open(resources), fixture.loop, (s, e) -> results.add(e));
        fixture.run(() -> {
            client.close();
            return null;
        });
        Polling.await(() -> !results.isEmpty(), "the connect reported");
        Polling.assertStaysTrue(() -> results.size() == 1, Duration.ofMillis(300),
                "no second report when the 200 ms connect timeout would have fired");
        fixture.run(() -> null);
        assertThat(results).containsExactly(IoError.SOCKET_CLOSED);
    }

    @Test
    void writeCompletionsAreAlwaysAsynchronous() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        java.lang.foreign.MemorySegment data = java.lang.foreign.Arena.ofAuto().allocate(8);
        CountDownLatch completed = new CountDownLatch(1);
        boolean calledInside = fixture.call(() -> {
            boolean[] inside = {true};
            pair.client().write(data, 0, 8, (s, e, n, c) -> {
                if (inside[0]) {
                    throw new AssertionError("write callback ran inside write()");
                }
                completed.countDown();
            }, null);
            inside[0] = false;
            return completed.getCount() == 0;
        });
        assertThat(calledInside).isFalse();
        assertThat(completed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closingInsideAWriteCallbackIsSafeAndFailsTheWritesStillPending() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        java.lang.foreign.MemorySegment small = java.lang.foreign.Arena.ofAuto().allocate(8);
        // The peer never reads, so 16 MiB cannot all leave: the second write stays queued.
        java.lang.foreign.MemorySegment large = java.lang.foreign.Arena.ofAuto().allocate(16 << 20);
        List<String> completions = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);
        fixture.run(() -> {
            pair.client().write(small, 0, 8, (s, e, n, c) -> {
                completions.add("first " + e + " " + n);
                s.close();
                done.countDown();
            }, null);
            pair.client().write(large, 0, large.byteSize(), (s, e, n, c) -> {
                completions.add("second " + (e == null ? "ok" : e.name()) + " partial=" + (n > 0 && n < large.byteSize()));
                done.countDown();
            }, null);
            return null;
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(completions).containsExactly("first null 8", "second SOCKET_CLOSED partial=true");
        assertThat(pair.client().isOpen()).isFalse();
    }

    @Test
    void closingTheListenerInsideTheAcceptCallbackStopsAccepting() throws Exception {
        Socket listener = socket(SocketOptions.tcp(SocketDomain.IPV4));
        listener.bind(ANY_LOOPBACK_V4);
        listener.listen(16);
        AtomicInteger accepted = new AtomicInteger();
        List<Socket> connections = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch first = new CountDownLatch(1);
        listener.startAccept(fixture.loop, (l, s, e) -> {
            accepted.incrementAndGet();
            connections.add(s);
            l.close();
            first.countDown();
        });
        List<CompletableFuture<IoError>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket client = socket(SocketOptions.tcp(SocketDomain.IPV4));
            CompletableFuture<IoError> result = new CompletableFuture<>();
            client.connect(listener.localAddress(), fixture.loop, (s, e) -> result.complete(e));
            results.add(result);
        }
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        fixture.run(() -> null);
        assertThat(accepted).hasValue(1);
        assertThat(listener.isOpen()).isFalse();
        connections.forEach(Socket::close);
    }

    @Test
    void writesQueuedBehindAFullKernelBufferLeaveGatheredInOrder() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        // The peer does not read yet, so the first 16 MiB fill the kernel's buffers and the small
        // writes queue behind them; they leave together once there is room.
        byte[] large = new byte[16 << 20];
        new java.util.Random(7).nextBytes(large);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.writeBytes(large);
        List<byte[]> smalls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] small = ("write-" + i + ";").getBytes(StandardCharsets.US_ASCII);
            smalls.add(small);
            expected.writeBytes(small);
        }
        List<String> completions = Collections.synchronizedList(new ArrayList<>());
        fixture.run(() -> {
            write(pair.client(), large, "large", completions);
            for (int i = 0; i < smalls.size(); i++) {
                write(pair.client(), smalls.get(i), "small-" + i, completions);
            }
            return null;
        });
        ReceivedBytes collector = new ReceivedBytes();
        fixture.run(() -> {
            pair.server().subscribeToReadableEvents(collector);
            return null;
        });
        assertThat(java.util.Arrays.mismatch(collector.awaitBytes(expected.size()), expected.toByteArray()))
                .as("index of the first byte that differs").isEqualTo(-1);
        List<String> inOrder = new ArrayList<>(List.of("large ok"));
        for (int i = 0; i < smalls.size(); i++) {
            inOrder.add("small-" + i + " ok");
        }
        fixture.run(() -> null); // completions run in a task after the last send
        assertThat(completions).containsExactlyElementsOf(inOrder);
    }

    @Test
    void heldWritesStayQueuedUntilReleasedThenLeaveInOrder() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        List<String> completions = Collections.synchronizedList(new ArrayList<>());
        // Loopback delivers during the send, so the peer's count tells whether anything left.
        int[] readable = fixture.call(() -> {
            pair.client().holdWrites();
            for (String part : List.of("one;", "two;", "three;")) {
                write(pair.client(), part.getBytes(StandardCharsets.US_ASCII), part, completions);
            }
            int whileHeld = pair.server().bytesReadable();
            pair.client().releaseWrites();
            return new int[] {whileHeld, pair.server().bytesReadable()};
        });
        assertThat(readable).containsExactly(0, 14);
        ReceivedBytes collector = new ReceivedBytes();
        fixture.run(() -> {
            pair.server().subscribeToReadableEvents(collector);
            return null;
        });
        assertThat(new String(collector.awaitBytes(14), StandardCharsets.US_ASCII)).isEqualTo("one;two;three;");
        fixture.run(() -> null); // completions run in a task after the send
        assertThat(completions).containsExactly("one; ok", "two; ok", "three; ok");
    }

    private static void write(Socket socket, byte[] bytes, String name, List<String> completions) throws IoErrorException {
        java.lang.foreign.MemorySegment data = java.lang.foreign.Arena.ofAuto().allocate(bytes.length);
        data.copyFrom(java.lang.foreign.MemorySegment.ofArray(bytes));
        socket.write(data, 0, bytes.length, (s, e, n, c) -> completions.add(name + (e == null && n == bytes.length ? " ok" : " " + e + " " + n)), null);
    }

    @Test
    void sendNowSendsFromAnyThreadUntilTheKernelIsFullAndTheLoopSaysWhenThereIsRoom() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        byte[] chunk = new byte[64 * 1024];
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        for (int round = 0; ; round++) {
            java.util.Arrays.fill(chunk, (byte) round);
            long n = pair.client().sendNow(java.lang.foreign.MemorySegment.ofArray(chunk), 0, chunk.length);
            sent.write(chunk, 0, (int) n);
            if (n == 0) {
                break;
            }
        }
        CountDownLatch roomAgain = new CountDownLatch(1);
        fixture.run(() -> {
            pair.client().notifyWhenWritable(roomAgain::countDown);
            return null;
        });
        ReceivedBytes collector = new ReceivedBytes();
        fixture.run(() -> {
            pair.server().subscribeToReadableEvents(collector);
            return null;
        });
        assertThat(java.util.Arrays.mismatch(collector.awaitBytes(sent.size()), sent.toByteArray()))
                .as("index of the first byte that differs").isEqualTo(-1);
        assertThat(roomAgain.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pair.client().sendNow(java.lang.foreign.MemorySegment.ofArray(chunk), 0, 1)).isEqualTo(1);
    }

    @Test
    void receiveNowReadsFromAnyThreadIntoAnArrayAndTheObserverSaysWhenToTryAgain() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        java.util.concurrent.atomic.AtomicInteger readableEvents = new java.util.concurrent.atomic.AtomicInteger();
        ReceivedBytes standingAside = new ReceivedBytes();
        fixture.run(() -> {
            pair.server().subscribeToReadableEvents(standingAside); // the reader the observer takes over from
            pair.server().observeReadable(readableEvents::incrementAndGet);
            return null;
        });
        byte[] into = new byte[64];
        java.lang.foreign.MemorySegment array = java.lang.foreign.MemorySegment.ofArray(into);
        assertThat(pair.server().receiveNow(array, 0, into.length)).as("nothing has arrived").isZero();
        assertThat(pair.server().bytesReadable()).isZero();

        assertThat(SocketPeers.write(fixture, pair.client(), "hello".getBytes(StandardCharsets.US_ASCII))
                .get(5, TimeUnit.SECONDS).error()).isNull();
        assertThat(Polling.until(readableEvents::get, n -> n > 0)).as("the loop saw the bytes arrive").isPositive();
        assertThat(pair.server().bytesReadable()).isEqualTo(5);
        assertThat(pair.server().receiveNow(array, 10, 54)).isEqualTo(5);
        assertThat(new String(into, 10, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(standingAside.bytes()).as("the readable callback stood aside").isEmpty();

        fixture.run(() -> {
            pair.client().shutdownOutput();
            return null;
        });
        IoErrorException end = Polling.until(() -> {
            try {
                pair.server().receiveNow(array, 0, into.length);
                return null;
            } catch (IoErrorException e) {
                return e;
            }
        }, Objects::nonNull);
        assertThat(end).as("the end of the stream").isNotNull();
        assertThat(end.error()).isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(pair.server().isResetByPeer()).isFalse();
    }

    @Test
    void aResetLeavesAPendingErrorThatReadingItClears() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        assertThat(pair.client().pendingError()).as("a healthy connection").isNull();
        fixture.run(() -> {
            pair.server().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            pair.server().close(); // a reset
            return null;
        });
        assertThat(Polling.until(() -> pair.client().pendingError(), Objects::nonNull))
                .as("ECONNRESET, as aws-c-io names it").isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(pair.client().pendingError()).as("SO_ERROR is cleared once read").isNull();
    }

    @Test
    void handingReadabilityBackTellsTheCallbackOfTheBytesAndTheHangUpTheObserverHad() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger observed = new AtomicInteger();
        fixture.run(() -> {
            pair.server().subscribeToReadableEvents((socket, error) -> told.add(String.valueOf(error)));
            pair.server().observeReadable(observed::incrementAndGet);
            return null;
        });
        assertThat(SocketPeers.write(fixture, pair.client(), "hello".getBytes(StandardCharsets.US_ASCII))
                .get(5, TimeUnit.SECONDS).error()).isNull();
        fixture.run(() -> {
            pair.client().shutdownOutput();
            return null;
        });
        int serverPort = ((InetSocketAddress) pair.server().localAddress()).getPort();
        int clientPort = ((InetSocketAddress) pair.client().localAddress()).getPort();
        Polling.await(() -> TcpTable.has(TcpTable.State.CLOSE_WAIT, serverPort, clientPort), Duration.ofSeconds(5),
                "the client's FIN");
        for (int turn = 0; turn < 2; turn++) {
            fixture.run(() -> null); // a whole loop turn after the FIN: its event went to the observer
        }
        assertThat(observed.get()).as("the observer had the events").isPositive();
        assertThat(told).as("the callback stood aside").isEmpty();

        fixture.run(() -> {
            pair.server().observeReadable(null);
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (told.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(told).as("told once, with the hang-up").containsExactly(IoError.SOCKET_CLOSED.toString());
    }

    @Test
    void closingWhileOtherThreadsSendAndReceiveDirectlyNeitherFailsThemOddlyNorLeaksTheDescriptor() throws Exception {
        long before = FdCount.now();
        for (int round = 0; round < 50; round++) {
            SocketPeers.Pair pair = SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4);
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(2);
            List<Throwable> odd = Collections.synchronizedList(new ArrayList<>());
            List<Thread> users = new ArrayList<>();
            for (boolean sending : new boolean[] {true, false}) {
                users.add(Thread.ofPlatform().start(() -> {
                    byte[] bytes = new byte[1024];
                    java.lang.foreign.MemorySegment array = java.lang.foreign.MemorySegment.ofArray(bytes);
                    running.countDown();
                    try {
                        while (true) {
                            if (sending) {
                                pair.client().sendNow(array, 0, bytes.length);
                            } else {
                                pair.client().receiveNow(array, 0, bytes.length);
                            }
                        }
                    } catch (IoErrorException e) {
                        // the socket closed under it: the way such a call ends
                    } catch (Throwable t) {
                        odd.add(t);
                    }
                }));
            }
            running.await();
            pair.close();
            for (Thread user : users) {
                user.join(5_000);
                assertThat(user.isAlive()).isFalse();
            }
            assertThat(odd).isEmpty();
        }
        assertThat(FdCount.now()).isLessThanOrEqualTo(before);
    }

    @Test
    void aWaiterForRoomIsToldWhenTheSocketClosesInstead() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        CompletableFuture<Boolean> openWhenTold = new CompletableFuture<>();
        fixture.run(() -> {
            pair.client().notifyWhenWritable(() -> openWhenTold.complete(pair.client().isOpen()));
            pair.client().close();
            return null;
        });
        assertThat(openWhenTold.get(5, TimeUnit.SECONDS)).isFalse();
        assertThatThrownBy(() -> pair.client().sendNow(java.lang.foreign.MemorySegment.ofArray(new byte[1]), 0, 1))
                .isInstanceOf(IoErrorException.class);
    }

    @Test
    void readingOrWritingOffTheLoopThreadFails() throws Exception {
        SocketPeers.Pair pair = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        java.lang.foreign.MemorySegment data = java.lang.foreign.Arena.ofAuto().allocate(8);
        assertThatThrownBy(() -> pair.client().read(data, 0, 8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        assertThatThrownBy(() -> pair.client().write(data, 0, 8, (s, e, n, c) -> {}, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        assertThatThrownBy(() -> pair.client().write(java.lang.foreign.MemorySegment.ofArray(new byte[8]), 0, 8, (s, e, n, c) -> {}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native memory");
    }

    @Test
    void badAddressesAndStatesFailAtOnce() throws Exception {
        Socket v4 = socket(SocketOptions.tcp(SocketDomain.IPV4));
        assertThatThrownBy(() -> v4.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), fixture.loop, (s, e) -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 0");
        assertThatThrownBy(() -> v4.connect(new InetSocketAddress(InetAddress.getByName("::1"), 80), fixture.loop, (s, e) -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not suit");
        assertThatThrownBy(() -> v4.connect(InetSocketAddress.createUnresolved("example.com", 80), fixture.loop, (s, e) -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
        assertThatThrownBy(() -> v4.listen(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_IO_SOCKET_ILLEGAL_OPERATION_FOR_STATE");
        assertThatThrownBy(() -> new InetSocketAddress(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void standardAndExtendedOptionsRoundTrip() throws Exception {
        Socket socket = socket(SocketOptions.tcp(SocketDomain.IPV6));
        socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        assertThat(socket.getOption(java.net.StandardSocketOptions.TCP_NODELAY)).isTrue();
        socket.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
        assertThat(socket.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE)).isTrue();
        socket.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 65536);
        assertThat(socket.getOption(java.net.StandardSocketOptions.SO_RCVBUF)).isGreaterThanOrEqualTo(65536);
        socket.setOption(java.net.StandardSocketOptions.SO_LINGER, 7);
        assertThat(socket.getOption(java.net.StandardSocketOptions.SO_LINGER)).isEqualTo(7);
        socket.setOption(java.net.StandardSocketOptions.SO_LINGER, -1);
        assertThat(socket.getOption(java.net.StandardSocketOptions.SO_LINGER)).isEqualTo(-1);
        socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 33);
        assertThat(socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(33);
        socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, 4);
        assertThat(socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
        socket.setOption(java.net.StandardSocketOptions.IP_TOS, 0x10);
        assertThat(socket.getOption(java.net.StandardSocketOptions.IP_TOS)).isEqualTo(0x10);
        assertThatThrownBy(() -> socket.setOption(java.net.StandardSocketOptions.SO_BROADCAST, true))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> socket.setOption(java.net.StandardSocketOptions.SO_SNDBUF, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResetIsToldApartFromAnOrderlyEnd() throws Exception {
        SocketPeers.Pair reset = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        SocketPeers.Pair orderly = resources.track(SocketPeers.connectedPair(fixture, SocketOptions.tcp(SocketDomain.IPV4), ANY_LOOPBACK_V4));
        ReceivedBytes afterReset = new ReceivedBytes();
        ReceivedBytes afterFin = new ReceivedBytes();
        fixture.run(() -> {
            reset.client().subscribeToReadableEvents(afterReset);
            orderly.client().subscribeToReadableEvents(afterFin);
            reset.server().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            reset.server().close();
            orderly.server().close();
            return null;
        });
        assertThat(afterReset.ended.get(5, TimeUnit.SECONDS)).isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(afterFin.ended.get(5, TimeUnit.SECONDS)).isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(reset.client().isResetByPeer()).isTrue();
        assertThat(orderly.client().isResetByPeer()).isFalse();
    }

    @Test
    void ipv4LiteralsParseLikeInetPton() {
        assertThat(IpAddresses.parseIpv4("127.0.0.1")).map(InetAddress::getHostAddress).contains("127.0.0.1");
        assertThat(IpAddresses.parseIpv4("255.255.255.255")).isPresent();
        for (String bad : List.of("", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "a.b.c.d", "::1", " 1.2.3.4", "1.2.3.4\0")) {
            assertThat(IpAddresses.parseIpv4(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void ipv6LiteralsParseLikeInetPton() {
        assertThat(IpAddresses.parseIpv6("::1")).map(InetAddress::getHostAddress).contains("0:0:0:0:0:0:0:1");
        assertThat(IpAddresses.parseIpv6("2001:db8:85a3::8a2e:370:7334")).isPresent();
        assertThat(IpAddresses.parseIpv6("::ffff:192.0.2.1")).map(InetAddress::getHostAddress).contains("192.0.2.1");
        for (String bad : List.of("", ":::", "1::2::3", "2001:db8:85a3:0:0:8a2e:370:7334:1", "fe80::1%lo", "g::1", "127.0.0.1")) {
            assertThat(IpAddresses.parseIpv6(bad)).as(bad).isEmpty();
        }
        assertThat(IpAddresses.parse("example.com")).isEmpty();
    }

    private int closedPort() throws Exception {
        Socket probe = new Socket(SocketOptions.tcp(SocketDomain.IPV4));
        probe.bind(ANY_LOOPBACK_V4);
        int port = ((InetSocketAddress) probe.localAddress()).getPort();
        probe.close();
        return port;
    }
}
