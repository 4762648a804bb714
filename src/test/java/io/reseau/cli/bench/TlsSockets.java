package io.reseau.cli.bench;

import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The two ends' TLS socket factories of one {@link SSLContext}: its own SSLSockets
 * ({@link #of(SSLContext)}), or its engines driven over plain sockets ({@link EngineSockets}).
 */
record TlsSockets(SSLSocketFactory clients, ServerSocketFactory servers) {
    /** The context's SSLSockets. */
    static TlsSockets of(SSLContext context) {
        return new TlsSockets(context.getSocketFactory(), context.getServerSocketFactory());
    }
}
