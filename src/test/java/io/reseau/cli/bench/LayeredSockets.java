package io.reseau.cli.bench;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories whose TLS is an {@link SSLContext}'s SSLSockets layered over the JDK's plain
 * sockets ({@code createSocket(socket, host, port, autoClose)} for clients, {@code
 * createSocket(socket, consumed, autoClose)} for the sockets a JDK server socket accepts): for
 * Reseau's provider, the same TLS as over its own sockets, over the JDK's.
 */
final class LayeredSockets {
    private LayeredSockets() {}

    /** Both ends' factories over {@code context}'s socket factory. */
    static TlsSockets of(SSLContext context) {
        SSLSocketFactory tls = context.getSocketFactory();
        return OverPlainSockets.of(tls::createSocket, accepted -> tls.createSocket(accepted, null, true), tls);
    }
}
