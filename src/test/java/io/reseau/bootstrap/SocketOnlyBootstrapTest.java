package io.reseau.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.Task;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import io.reseau.testing.UnansweredAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bootstraps' socket-only modes ({@link ClientBootstrap#connectSocket},
 * {@link ServerBootstrap#listenForSockets}): the sockets arrive connected, on their loops, with no
 * channel reading them, and belong to the caller.
 */
class SocketOnlyBootstrapTest extends BootstrapFixture {
    SocketOnlyBootstrapTest() throws Exception {}

    /** A socket reported to a callback, and whether the callback ran on that socket's loop. */
    private record Reported(Socket socket, IoError error, boolean onItsLoop) {}

    private static void report(CompletableFuture<Reported> into, Socket socket, IoError error) {
        into.complete(new Reported(socket, error, socket != null && socket.eventLoop().isOnLoopThread()));
    }

    @Test
    void bothEndsArriveConnectedOnTheirLoopsAndCarryBytesOnlyWhenTheirOwnersRead() throws Exception {
        CompletableFuture<Reported> accepted = new CompletableFuture<>();
        CountDownLatch destroyed = new CountDownLatch(1);
        SocketListener listener = server.listenForSockets(ServerListenerOptions.tcp(loopback(), SocketOptions.tcp(SocketDomain.IPV4),
                null, null).withOnDestroy(destroyed::countDown), (socket, error) -> report(accepted, socket, error));
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        CompletableFuture<Reported> connected = new CompletableFuture<>();
        client.connectSocket(ClientConnectionOptions.tcp("127.0.0.1", port, SocketDomain.IPV4, null, null),
                (socket, error) -> report(connected, socket, error));

        Reported clientEnd = connected.get(10, TimeUnit.SECONDS);
        Reported serverEnd = accepted.get(10, TimeUnit.SECONDS);
        assertThat(clientEnd.error()).isNull();
        assertThat(serverEnd.error()).isNull();
        Socket clientSocket = clientEnd.socket();
        Socket serverSocket = serverEnd.socket();
        resources.track(clientSocket::close);
        resources.track(serverSocket::close);
        assertThat(clientEnd.onItsLoop()).isTrue();
        assertThat(serverEnd.onItsLoop()).isTrue();
        assertThat(clientSocket.remoteAddress()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(serverSocket.localAddress()).isEqualTo(clientSocket.remoteAddress());
        assertThat(serverSocket.remoteAddress()).isEqualTo(clientSocket.localAddress());

        // The listener's connections are its owner's: closing it leaves them open.
        listener.close();
        assertThat(destroyed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(serverSocket.isOpen()).isTrue();

        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        MemorySegment outgoing = Arena.ofAuto().allocateFrom(ValueLayout.JAVA_BYTE, hello);
        CompletableFuture<IoError> written = new CompletableFuture<>();
        clientSocket.eventLoop().scheduleNow(new Task("write", status -> {
            try {
                clientSocket.write(outgoing, 0, hello.length, (socket, error, bytes, context) -> written.complete(error), null);
            } catch (IoErrorException e) {
                written.complete(e.error());
            }
        }));
        assertThat(written.get(10, TimeUnit.SECONDS)).isNull();
        // No channel reads the socket (a second reader would be refused): the bytes wait in the
        // kernel for the socket's owner.
        MemorySegment incoming = Arena.ofAuto().allocate(64);
        CompletableFuture<Long> read = new CompletableFuture<>();
        serverSocket.eventLoop().scheduleNow(new Task("subscribe", status -> serverSocket.subscribeToReadableEvents((socket, error) -> {
            try {
                long n = socket.read(incoming, 0, incoming.byteSize());
                if (n > 0) {
                    read.complete(n);
                }
            } catch (Exception e) {
                read.completeExceptionally(e);
            }
        })));
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(hello.length);
        assertThat(incoming.asSlice(0, hello.length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(hello);
    }

    @Test
    void aRefusedConnectIsReportedWithoutASocket() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        CompletableFuture<Reported> connected = new CompletableFuture<>();
        client.connectSocket(ClientConnectionOptions.tcp("127.0.0.1", closedPort, SocketDomain.IPV4, null, null),
                (socket, error) -> report(connected, socket, error));
        Reported result = connected.get(10, TimeUnit.SECONDS);
        assertThat(result.socket()).isNull();
        assertThat(result.error()).isEqualTo(IoError.SOCKET_CONNECTION_REFUSED);
    }

    @Test
    void aCancelledConnectIsReportedWithoutASocket() throws Exception {
        InetSocketAddress unanswered = UnansweredAddress.open(resources);
        CompletableFuture<Reported> connected = new CompletableFuture<>();
        ConnectAttempt attempt = client.connectSocket(ClientConnectionOptions.tcp("127.0.0.1", unanswered.getPort(), SocketDomain.IPV4,
                null, null).withSocketOptions(SocketOptions.tcp(SocketDomain.IPV4).withConnectTimeout(Duration.ofSeconds(30))),
                (socket, error) -> report(connected, socket, error));
        attempt.cancel();
        Reported result = connected.get(10, TimeUnit.SECONDS);
        assertThat(result.socket()).isNull();
        assertThat(result.error()).isEqualTo(IoError.OPERATION_CANCELLED);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
