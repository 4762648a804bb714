package io.reseau.cli.bench;

import java.io.IOException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Socket factories whose TLS is an {@link SSLContext}'s engines ({@link EngineSocket}) over the
 * JDK's plain sockets: scenario D's engine stacks, where only the provider of the engines differs.
 * Clients get {@code createSSLEngine(host, port)}, accepted sockets a server engine.
 */
final class EngineSockets {
    private EngineSockets() {}

    /** Both ends' factories over {@code context}'s engines. */
    static TlsSockets of(SSLContext context) {
        return OverPlainSockets.of((socket, host, port, autoClose) -> {
            if (!autoClose) {
                throw new IOException("the benchmark's engine sockets always own the socket below");
            }
            SSLEngine engine = context.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            return new EngineSocket(socket, engine);
        }, accepted -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            return new EngineSocket(accepted, engine);
        }, context.getSocketFactory());
    }
}
