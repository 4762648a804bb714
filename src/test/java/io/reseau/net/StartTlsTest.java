package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsContextOptions;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ReseauSocket.startTls when TLS cannot be put in place. */
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
}
