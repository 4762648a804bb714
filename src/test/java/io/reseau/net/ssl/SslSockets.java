package io.reseau.net.ssl;

import io.reseau.tls.ReseauProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** Loopback TLS servers and round trips for the SSLSocket tests. */
final class SslSockets {
    /** One provider for all the tests: it holds no state of its own. */
    static final Provider RESEAU = new ReseauProvider();

    private SslSockets() {}

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
