package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.dns.SystemHostResolver;
import io.reseau.eventloop.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing a socket with SO_LINGER above 0 and bytes the peer has not taken: the kernel holds that
 * close until they are acknowledged (or the time runs out). As with the JDK's sockets, the caller
 * of close() waits that long; nothing else does, however many connections share the event loop.
 */
@Timeout(60)
class LingeringCloseTest {
    private static final int LINGER_SECONDS = 30;
    private static final int UNSENT = 64 * 1024;

    private static EventLoopGroup oneLoop;
    private static SystemHostResolver resolver;

    @BeforeAll
    static void startOneLoop() throws Exception {
        oneLoop = new EventLoopGroup(1); // every Reseau socket here shares it
        resolver = new SystemHostResolver();
    }

    @AfterAll
    static void stopTheLoop() {
        oneLoop.close();
        resolver.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void aLingeringCloseHoldsItsCallerOnlyUntilThePeerHasTheBytes(String implementation) throws Exception {
        SocketFactory sockets = implementation.equals("Reseau") ? ReseauSocketFactory.of(oneLoop, resolver)
                : SocketFactory.getDefault();
        try (ServerSocket stingy = new ServerSocket(); ServerSocket echo = Peers.jdkListener()) {
            stingy.setReceiveBufferSize(1024); // its connections advertise a tiny window
            stingy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Socket lingering = sockets.createSocket(InetAddress.getLoopbackAddress(), stingy.getLocalPort());
            try (Socket notReading = stingy.accept()) {
                lingering.setSendBufferSize(4 * UNSENT);
                lingering.setSoLinger(true, LINGER_SECONDS);
                lingering.getOutputStream().write(new byte[UNSENT]); // fits our send buffer, not the peer's window
                CompletableFuture<Void> closing = runOnVirtualThread(lingering::close);

                // Another connection on the same loop connects and echoes meanwhile.
                CompletableFuture<Void> other = runOnVirtualThread(() -> {
                    try (Socket socket = sockets.createSocket()) {
                        socket.connect(echo.getLocalSocketAddress(), 5000);
                        socket.setSoTimeout(5000);
                        socket.getOutputStream().write(42);
                        try (Socket peer = echo.accept()) {
                            peer.getOutputStream().write(peer.getInputStream().read());
                            assertThat(socket.getInputStream().read()).isEqualTo(42);
                        }
                    }
                });
                other.get(10, TimeUnit.SECONDS);
                assertThat(closing).as("close() waits while the peer takes nothing").isNotDone();

                assertThat(notReading.getInputStream().readAllBytes()).as("every byte, then the end").hasSize(UNSENT);
                closing.get(10, TimeUnit.SECONDS);
                assertThat(lingering.isClosed()).isTrue();
            }
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static CompletableFuture<Void> runOnVirtualThread(Action action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }
}
