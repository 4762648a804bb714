package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.Polling;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** connectAsync and acceptAsync: the blocking calls as futures. */
@Timeout(30)
class AsyncTest {

    @Test
    void connectAndAcceptAsFutures() throws Exception {
        try (ReseauServerSocket server = (ReseauServerSocket) Peers.reseauListener()) {
            CompletableFuture<Socket> accepted = server.acceptAsync();
            ReseauSocket client = new ReseauSocket();
            CompletableFuture<ReseauSocket> connected = client.connectAsync(server.getLocalSocketAddress(), 5000);
            try (Socket c = connected.get(5, TimeUnit.SECONDS); Socket peer = accepted.get(5, TimeUnit.SECONDS)) {
                assertThat(c).isSameAs(client);
                assertThat(c.isConnected()).isTrue();
                c.getOutputStream().write(5);
                assertThat(peer.getInputStream().read()).isEqualTo(5);
            }
        }
    }

    @Test
    void aFailedConnectCompletesExceptionallyAndClosesTheSocket() throws Exception {
        int port;
        try (ServerSocket probe = Peers.jdkListener()) {
            port = probe.getLocalPort();
        }
        ReseauSocket client = new ReseauSocket();
        CompletableFuture<ReseauSocket> connected = client.connectAsync(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        assertThat(connected).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(ConnectException.class);
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void cancellingAPendingAcceptClosesTheServerSocket() throws Exception {
        ReseauServerSocket server = (ReseauServerSocket) Peers.reseauListener();
        CompletableFuture<Socket> accepted = server.acceptAsync();
        // Pacing only: the accept's thread is the future's own and out of sight, so this pause makes
        // the accept pending when the cancel comes; the socket must close whether or not it is.
        Thread.sleep(50);
        accepted.cancel(true);
        Polling.await(server::isClosed, "the cancelled accept's server socket closed");
    }
}
