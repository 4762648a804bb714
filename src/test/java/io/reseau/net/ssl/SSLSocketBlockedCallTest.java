package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a TLS socket's blocked call does, as a client and as a server, on Reseau over its own
 * sockets and layered over the JDK's, with JSSE as the baseline where it keeps the JDK socket's
 * rules: SO_TIMEOUT times a read out and the socket stays usable; a close from another thread
 * fails a blocked read, write or handshake; an interrupt of a virtual thread blocked in one closes
 * the socket and keeps the interrupt status. The peer is JSSE, or a plain socket that says
 * nothing.
 */
@Timeout(60)
class SSLSocketBlockedCallTest {
    private static TestPki pki;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @AfterEach
    void closeWhatWasOpened() throws Exception {
        for (AutoCloseable resource : opened.reversed()) {
            resource.close();
        }
    }

    enum Side { CLIENT, SERVER }

    static Stream<Arguments> stacksAndSides() {
        return SslSockets.stacks().flatMap(stack -> Stream.of(Side.values())
                .map(side -> Arguments.of(stack.get()[0], stack.get()[1], side)));
    }

    /**
     * Reseau's stacks only, held to the JDK socket's rule, where JSSE (JDK 25) is no baseline: its
     * close may end a blocked read with -1 rather than fail it, and waits for a blocked write to
     * end (close_notify takes the write lock); an interrupt of a virtual thread blocked in its
     * write recurses into close until the stack overflows.
     */
    static Stream<Arguments> reseauStacksAndSides() {
        return stacksAndSides().filter(arguments -> arguments.get()[0].equals("Reseau"));
    }

    private <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    /** The connection under test: the tested socket, handshaken with its JSSE peer. */
    private record Connection(SSLSocket tested, SSLSocket peer) {}

    private Connection connect(String implementation, Transport transport, Side side) throws Exception {
        CompletableFuture<SSLSocket> accepted = new CompletableFuture<>();
        if (side == Side.CLIENT) {
            SSLServerSocket listener = track(server(pki.jsseServerContext(Kind.SERVER_EC256)));
            acceptAndHandshake(listener, accepted);
            SSLSocket tested = track(transport.connect(pki.clientContext(null, SslSockets.provider(implementation)), "localhost",
                    listener.getLocalPort()));
            tested.startHandshake();
            return new Connection(tested, track(accepted.get(10, TimeUnit.SECONDS)));
        }
        SSLServerSocket listener = track(transport.listen(pki.serverContext(Kind.SERVER_EC256, SslSockets.provider(implementation))));
        acceptAndHandshake(listener, accepted);
        SSLSocket peer = track((SSLSocket) pki.jsseClientContext().getSocketFactory().createSocket("localhost", listener.getLocalPort()));
        peer.startHandshake();
        return new Connection(track(accepted.get(10, TimeUnit.SECONDS)), peer);
    }

    private static void acceptAndHandshake(SSLServerSocket listener, CompletableFuture<SSLSocket> accepted) {
        Thread.ofVirtual().start(() -> {
            try {
                SSLSocket socket = (SSLSocket) listener.accept();
                socket.startHandshake();
                accepted.complete(socket);
            } catch (Throwable t) {
                accepted.completeExceptionally(t);
            }
        });
    }

    /**
     * The tested socket before its handshake, its peer a plain socket that says nothing: the
     * tested side's handshake blocks on its first read.
     */
    private SSLSocket facingSilence(String implementation, Transport transport, Side side) throws Exception {
        if (side == Side.CLIENT) {
            ServerSocket silent = track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            return track(transport.connect(pki.clientContext(null, SslSockets.provider(implementation)), "localhost",
                    silent.getLocalPort()));
        }
        SSLServerSocket listener = track(transport.listen(pki.serverContext(Kind.SERVER_EC256, SslSockets.provider(implementation))));
        track(new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        return track((SSLSocket) listener.accept());
    }

    /** A call on the tested socket that blocks; it returns what it got. */
    private interface BlockingCall {
        Object run() throws IOException;
    }

    /** Starts {@code call} on a virtual thread; its outcome is its exception's class and the interrupt status then. */
    private static CompletableFuture<String> start(BlockingCall call, Thread[] started) {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Runnable reporting = () -> {
            try {
                outcome.complete("returned " + call.run());
            } catch (IOException e) {
                outcome.complete(e.getClass().getSimpleName() + ", interrupted=" + Thread.currentThread().isInterrupted());
            }
        };
        started[0] = Thread.ofVirtual().start(reporting);
        return outcome;
    }

    private static String closeWhileBlocked(SSLSocket tested, BlockingCall call) throws Exception {
        Thread[] thread = new Thread[1];
        CompletableFuture<String> outcome = start(call, thread);
        WaitingThreads.await(thread[0]);
        tested.close();
        return outcome.get(10, TimeUnit.SECONDS);
    }

    private static String interruptWhileBlocked(BlockingCall call) throws Exception {
        Thread[] thread = new Thread[1];
        CompletableFuture<String> outcome = start(call, thread);
        WaitingThreads.await(thread[0]);
        thread[0].interrupt();
        return outcome.get(10, TimeUnit.SECONDS);
    }

    /** Writes until the peer, which does not read, lets no more in. */
    private static BlockingCall writingUntilBlocked(SSLSocket tested) {
        return () -> {
            byte[] chunk = new byte[64 * 1024];
            while (true) {
                tested.getOutputStream().write(chunk);
            }
        };
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("stacksAndSides")
    void aReadTimesOutUnderSoTimeoutAndTheSocketStaysUsable(String implementation, Transport transport, Side side) throws Exception {
        Connection connection = connect(implementation, transport, side);
        connection.tested().setSoTimeout(200);
        assertThatThrownBy(() -> connection.tested().getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(connection.tested().isClosed()).isFalse();
        connection.peer().getOutputStream().write(42);
        assertThat(connection.tested().getInputStream().read()).isEqualTo(42);
        connection.tested().getOutputStream().write(43);
        assertThat(connection.peer().getInputStream().read()).isEqualTo(43);
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("reseauStacksAndSides")
    void closeFromAnotherThreadFailsABlockedRead(String implementation, Transport transport, Side side) throws Exception {
        Connection connection = connect(implementation, transport, side);
        assertThat(closeWhileBlocked(connection.tested(), () -> connection.tested().getInputStream().read()))
                .isEqualTo("SocketException, interrupted=false");
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("reseauStacksAndSides")
    void closeFromAnotherThreadFailsABlockedWrite(String implementation, Transport transport, Side side) throws Exception {
        Connection connection = connect(implementation, transport, side);
        assertThat(closeWhileBlocked(connection.tested(), writingUntilBlocked(connection.tested())))
                .isEqualTo("SocketException, interrupted=false");
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("reseauStacksAndSides")
    void closeFromAnotherThreadFailsABlockedHandshake(String implementation, Transport transport, Side side) throws Exception {
        SSLSocket tested = facingSilence(implementation, transport, side);
        // A handshake cut short may say it failed (as JSSE's client does) or that the socket closed.
        assertThat(closeWhileBlocked(tested, () -> {
            tested.startHandshake();
            return "handshaken";
        })).isIn("SSLHandshakeException, interrupted=false", "SocketException, interrupted=false");
        assertThat(tested.isClosed()).isTrue();
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("stacksAndSides")
    void interruptingAVirtualThreadBlockedInReadClosesTheSocket(String implementation, Transport transport, Side side)
            throws Exception {
        Connection connection = connect(implementation, transport, side);
        assertThat(interruptWhileBlocked(() -> connection.tested().getInputStream().read()))
                .isEqualTo("SocketException, interrupted=true");
        assertThat(connection.tested().isClosed()).isTrue();
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("reseauStacksAndSides")
    void interruptingAVirtualThreadBlockedInWriteClosesTheSocket(String implementation, Transport transport, Side side)
            throws Exception {
        Connection connection = connect(implementation, transport, side);
        assertThat(interruptWhileBlocked(writingUntilBlocked(connection.tested()))).isEqualTo("SocketException, interrupted=true");
        assertThat(connection.tested().isClosed()).isTrue();
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("stacksAndSides")
    void interruptingAVirtualThreadBlockedInTheHandshakeClosesTheSocket(String implementation, Transport transport, Side side)
            throws Exception {
        SSLSocket tested = facingSilence(implementation, transport, side);
        assertThat(interruptWhileBlocked(() -> {
            tested.startHandshake();
            return "handshaken";
        })).isEqualTo("SocketException, interrupted=true");
        assertThat(tested.isClosed()).isTrue();
    }

    /**
     * A reader starts the handshake and, once it is done, waits for the echo of what a writer
     * sends; the writer came while the handshake ran and waited for it. It must not then wait
     * behind the reader, which waits for the writer's bytes.
     */
    @ParameterizedTest(name = "{0} client {1}")
    @MethodSource("io.reseau.net.ssl.SslSockets#stacks")
    void aWriterThatWaitedForTheHandshakeIsNotLeftBehindTheReader(String implementation, Transport transport) throws Exception {
        SSLServerSocket listener = track(server(pki.jsseServerContext(Kind.SERVER_EC256)));
        CountDownLatch writerWaits = new CountDownLatch(1);
        CompletableFuture<Void> echoed = CompletableFuture.runAsync(() -> {
            try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                writerWaits.await(); // the client's handshake stays under way until then
                accepted.getOutputStream().write(accepted.getInputStream().read());
                accepted.getInputStream().read(); // until the client leaves
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        SSLSocket tested = track(transport.connect(pki.clientContext(null, SslSockets.provider(implementation)), "localhost",
                listener.getLocalPort()));
        tested.setSoTimeout(10_000); // a reader left waiting fails here, not by the class timeout
        Thread[] reader = new Thread[1];
        CompletableFuture<String> read = start(() -> tested.getInputStream().read(), reader);
        WaitingThreads.await(reader[0]);
        Thread[] writer = new Thread[1];
        CompletableFuture<String> written = start(() -> {
            tested.getOutputStream().write(7);
            return "written";
        }, writer);
        WaitingThreads.await(writer[0]);
        writerWaits.countDown();
        assertThat(written.get(10, TimeUnit.SECONDS)).isEqualTo("returned written");
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("returned 7");
        tested.close();
        echoed.get(10, TimeUnit.SECONDS);
    }
}
