package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsContextOptions;
import io.reseau.testing.FdCount;
import io.reseau.testing.Polling;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ReseauSocket.startTls when TLS cannot be put in place, or the socket closes while it is. */
@Timeout(30)
class StartTlsTest {

    @Test
    void tlsThatCannotStartFailsTheFutureAndEndsAReadWaitingForIt() throws Exception {
        // A context that leaves the peer's check to each connection, and a connection that gives none.
        try (ServerSocket server = Peers.jdkListener(); ReseauSocket client = new ReseauSocket();
                TlsContext context = TlsContext.create(TlsContextOptions.client().withExternalPeerVerification(true))) {
            client.connect(server.getLocalSocketAddress(), 5000);
            try (Socket peer = server.accept()) {
                CompletableFuture<TlsNegotiation> started = client.startTls(TlsConnectionOptions.of(context));

                assertThatThrownBy(() -> client.getInputStream().read()).as("a read begun with the handshake")
                        .isInstanceOf(IOException.class);
                assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(IllegalArgumentException.class);
                assertThat(peer.getInputStream().read()).as("the peer sees the connection end").isEqualTo(-1);
            }
        }
    }

    /**
     * A plain socket gets its channel only when TLS starts, on its loop: a close that comes
     * meanwhile (before the channel is set up, while it is, or during the handshake) ends the
     * future (failed, or with a failed negotiation) and a read waiting on it, and leaves no
     * descriptor open.
     */
    @Test
    void aCloseRacingStartTlsEndsItAndLeavesNoDescriptorOpen() throws Exception {
        long fdsBefore = -1;
        try (ServerSocket server = Peers.jdkListener(); TlsContext context = TlsContext.create(TlsContextOptions.client())) {
            for (int i = 0; i < 201; i++) {
                if (i == 1) {
                    fdsBefore = FdCount.now(); // after a first round: the loops and s2n have what they keep
                }
                try (ReseauSocket client = new ReseauSocket()) {
                    client.connect(server.getLocalSocketAddress(), 5000);
                    try (Socket peer = server.accept()) {
                        closeWhileStartingTls(client, peer, context, i);
                    }
                }
            }
        }
        long fdsAtFirst = fdsBefore;
        long fdsAfter = Polling.until(FdCount::now, count -> count <= fdsAtFirst, Polling.TIMEOUT);
        assertThat(fdsAfter).as("file descriptors").isLessThanOrEqualTo(fdsAtFirst);
    }

    private static void closeWhileStartingTls(ReseauSocket client, Socket peer, TlsContext context, int round) throws Exception {
        CompletableFuture<TlsNegotiation> started = client.startTls(TlsConnectionOptions.of(context).withServerName("localhost"));
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return client.getInputStream().read();
            } catch (IOException e) {
                return -2;
            }
        }, Thread::startVirtualThread);
        if (round % 2 == 1) {
            LockSupport.parkNanos(50_000); // odd rounds close a moment later: the channel may be set up by then
        }
        client.close();
        boolean succeeded;
        try {
            succeeded = started.get(5, TimeUnit.SECONDS).succeeded(); // a handshake the close cut short
        } catch (ExecutionException e) {
            succeeded = false; // TLS never got in place
        }
        assertThat(succeeded).as("round %d: the handshake succeeded", round).isFalse();
        assertThat(read.get(5, TimeUnit.SECONDS)).as("round %d: the waiting read", round).isIn(-1, -2);
        assertThat(peer.getInputStream().read()).as("round %d: the peer sees the end", round).isIn(-1, 22);
    }
}
