package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.ChildJvm;
import io.reseau.testing.DescriptorLimit;
import io.reseau.testing.LogCapture;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An echo server that runs out of descriptors (a child JVM under {@code ulimit -n}, flooded by
 * clients) says so from accept(), as the JDK's does, and serves new clients once the flood has
 * gone: the connections queued meanwhile must not leave it stuck.
 */
@Timeout(180)
class DescriptorExhaustionTest {
    private static final int DESCRIPTOR_LIMIT = 128;
    private static final int FLOOD = 3 * DESCRIPTOR_LIMIT; // past the limit, the server's queue and the kernel's backlog
    private static final int LATER_CLIENTS = 50;
    private static final Duration PHASE = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "reseau"})
    void aServerOutOfDescriptorsReportsItFromAcceptAndServesNewClientsOnceTheFloodIsGone(String server) throws Exception {
        try (ChildJvm child = ChildJvm.start(DESCRIPTOR_LIMIT, EchoServerProcess.class, server);
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = Integer.parseInt(child.awaitLine("LISTENING ", PHASE).substring("LISTENING ".length()));
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

            List<Future<Socket>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                flood.add(clients.submit(() -> connectOrNull(address)));
            }
            String failure;
            try {
                failure = child.awaitLine("ACCEPT FAILED ", PHASE);
            } finally {
                for (Future<Socket> connecting : flood) {
                    Socket connected = connecting.get(); // a connect the server never answered times out
                    if (connected != null) {
                        connected.close();
                    }
                }
            }
            assertThat(failure).isEqualTo("ACCEPT FAILED java.io.IOException: Too many open files");

            List<Future<Integer>> later = new ArrayList<>();
            for (int i = 0; i < LATER_CLIENTS; i++) {
                later.add(clients.submit(echoOneByte(address)));
            }
            int served = 0;
            for (Future<Integer> client : later) {
                served += client.get();
            }
            assertThat(served).as("clients served after the flood; the server printed:%n%s", child.transcript())
                    .isEqualTo(LATER_CLIENTS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "reseau"})
    void acceptThrowsWhileDescriptorsAreShortThenReturnsTheConnectionThatWaited(String server) throws Exception {
        try (LogCapture quiet = LogCapture.of(io.reseau.socket.Socket.class); // the listener's warning
                ServerSocket listener = server.equals("jdk") ? Peers.jdkListener() : Peers.reseauListener();
                SocketChannel client = SocketChannel.open()) { // its descriptor before there are none
            listener.setSoTimeout((int) PHASE.toMillis());
            Thread[] acceptor = new Thread[1];
            CompletableFuture<Object> blocked = Peers.start(true, listener::accept, acceptor);
            WaitingThreads.await(acceptor[0]);
            // Nothing in the window may need a descriptor: the assertions come after it.
            Throwable failure;
            Socket waited;
            try (DescriptorLimit limit = DescriptorLimit.exhausted()) {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
                failure = failureOf(blocked);
                limit.free();
                waited = listener.accept();
            }
            try (waited) {
                assertThat(failure).isExactlyInstanceOf(IOException.class).hasMessage("Too many open files");
                assertThat(waited.getPort()).as("the connection that waited")
                        .isEqualTo(((InetSocketAddress) client.getLocalAddress()).getPort());
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<Object> call) throws InterruptedException {
        try {
            return new AssertionError("returned " + call.get(PHASE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        }
    }

    private static Socket connectOrNull(InetSocketAddress address) {
        Socket socket = new Socket();
        try {
            socket.connect(address, 3_000);
            return socket;
        } catch (IOException e) {
            return null;
        }
    }

    /** 1 if the server echoed the byte, 0 if connecting or the echo failed or timed out. */
    private static Callable<Integer> echoOneByte(InetSocketAddress address) {
        return () -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) PHASE.toMillis());
                socket.setSoTimeout((int) PHASE.toMillis());
                socket.getOutputStream().write(42);
                return socket.getInputStream().read() == 42 ? 1 : 0;
            } catch (IOException e) {
                return 0;
            }
        };
    }
}
