package io.reseau.net.ssl;

import io.reseau.tls.ReseauProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.provider.Arguments;

/** Loopback TLS servers and round trips for the SSLSocket tests. */
final class SslSockets {
    /** One provider for all the tests: it holds no state of its own. */
    static final Provider RESEAU = new ReseauProvider();

    private SslSockets() {}

    /**
     * What a TLS socket runs over: the socket its context's factories make (Reseau's: a Reseau
     * socket, TLS in its channel), or a JDK socket the context layers TLS over
     * ({@code createSocket(socket, host, port, true)} for a client; for a server, over each socket
     * a JDK server socket accepts: {@link LayeringServerSocket}).
     */
    enum Transport {
        OWN_SOCKET, OVER_JDK_SOCKET;

        SSLSocket connect(SSLContext context, String host, int port) throws IOException {
            if (this == OWN_SOCKET) {
                return (SSLSocket) context.getSocketFactory().createSocket(host, port);
            }
            return (SSLSocket) context.getSocketFactory().createSocket(new Socket(host, port), host, port, true);
        }

        SSLServerSocket listen(SSLContext context) throws IOException {
            return listen(context, 50);
        }

        SSLServerSocket listen(SSLContext context, int backlog) throws IOException {
            return this == OWN_SOCKET ? server(context, backlog) : new LayeringServerSocket(context, backlog);
        }
    }

    /** What a server does with one accepted connection, on a thread of its own; closes it. */
    @FunctionalInterface
    interface Served {
        void serve(SSLSocket accepted) throws IOException;
    }

    /**
     * Accepts on {@code server} until it is closed, serving each connection on a virtual thread of
     * its own; a connection closed by {@code served}'s failure is the client's to notice.
     */
    static void serveEach(SSLServerSocket server, Served served) {
        while (true) {
            SSLSocket accepted;
            try {
                accepted = (SSLSocket) server.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().start(() -> {
                try (accepted) {
                    served.serve(accepted);
                } catch (IOException e) {
                    // the client sees the connection end
                }
            });
        }
    }

    /** Accepts one connection on {@code server}, echoes until the end of the stream, and reports the session. */
    static CompletableFuture<SSLSession> echoOnce(SSLServerSocket server) {
        CompletableFuture<SSLSession> session = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (SSLSocket accepted = (SSLSocket) server.accept()) {
                InputStream in = accepted.getInputStream();
                OutputStream out = accepted.getOutputStream();
                byte[] buffer = new byte[16384];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
                session.complete(accepted.getSession());
            } catch (Throwable t) {
                session.completeExceptionally(t);
            }
        });
        return session;
    }

    /**
     * The stacks a test runs on: JSSE on its own sockets as the control, Reseau on its own (TLS in
     * a Reseau socket's channel) and layered over JDK sockets; as (provider name, transport).
     */
    static Stream<Arguments> stacks() {
        return Stream.of(Arguments.of("JSSE", Transport.OWN_SOCKET), Arguments.of("Reseau", Transport.OWN_SOCKET),
                Arguments.of("Reseau", Transport.OVER_JDK_SOCKET));
    }

    /** The provider named in {@link #stacks()}: Reseau's, or null for the JDK's. */
    static Provider provider(String name) {
        return name.equals("Reseau") ? RESEAU : null;
    }

    static byte[] roundTrip(SSLSocket client, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.UTF_8);
        client.getOutputStream().write(sent);
        return client.getInputStream().readNBytes(sent.length);
    }

    static SSLServerSocket server(SSLContext context) throws IOException {
        return server(context, 50);
    }

    static SSLServerSocket server(SSLContext context, int backlog) throws IOException {
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, backlog, InetAddress.getLoopbackAddress());
    }
}
