package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ways client libraries take a SocketFactory, replayed without the libraries. */
@Timeout(30)
class ClientPlugInTest {

    @Test
    void pgjdbcInstantiatesTheFactoryByClassNameAndConnectsOnlyIfNeeded() throws Exception {
        // pgjdbc: Class.forName(socketFactory), no-arg constructor, createSocket(), connect() if not connected.
        SocketFactory factory = (SocketFactory) Class.forName("io.reseau.net.ReseauSocketFactory")
                .getConstructor().newInstance();
        try (ServerSocket server = Peers.jdkListener()) {
            CompletableFuture<String> greeting = serveGreeting(server);
            try (Socket socket = factory.createSocket()) {
                assertThat(socket).isInstanceOf(ReseauSocket.class);
                if (!socket.isConnected()) {
                    socket.connect(new InetSocketAddress("localhost", server.getLocalPort()), 5000);
                }
                socket.setSoTimeout(1); // PGStream.hasMessagePending peeks like this
                InputStream in = socket.getInputStream();
                String read = readLine(in);
                assertThat(read).isEqualTo(greeting.get(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void okHttpUsesTheUnconnectedSocketThenConnectsWithItsTimeout() throws Exception {
        // OkHttp: socketFactory.createSocket(), soTimeout, Platform.connectSocket(socket, address, connectTimeout).
        try (ServerSocket server = Peers.jdkListener()) {
            CompletableFuture<String> greeting = serveGreeting(server);
            Socket raw = ReseauSocketFactory.getDefault().createSocket();
            raw.setSoTimeout(10_000);
            raw.connect(server.getLocalSocketAddress(), 10_000);
            try (raw) {
                assertThat(readLine(raw.getInputStream())).isEqualTo(greeting.get(5, TimeUnit.SECONDS));
            }
        }
    }

    private static CompletableFuture<String> serveGreeting(ServerSocket server) {
        CompletableFuture<String> sent = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket peer = server.accept()) {
                String line = "hello from " + peer.getLocalPort();
                peer.getOutputStream().write((line + "\n").getBytes());
                sent.complete(line);
                peer.getInputStream().read(); // until the client closes
            } catch (IOException e) {
                sent.completeExceptionally(e);
            }
        });
        return sent;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            try {
                int c = in.read();
                if (c == '\n' || c == -1) {
                    return line.toString();
                }
                line.append((char) c);
            } catch (java.net.SocketTimeoutException notYet) {
                // a 1 ms peek found nothing yet: look again, as pgjdbc does
            }
        }
    }
}
