package io.reseau.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories whose TLS is an {@link SSLContext}'s SSLSockets layered over the JDK's plain
 * sockets ({@code createSocket(socket, host, port, autoClose)} for clients, {@code
 * createSocket(socket, consumed, autoClose)} for the sockets a JDK server socket accepts): for
 * Reseau's provider, its TLS on the caller's thread through the socket's streams, the path it
 * takes over any socket that is not its own.
 */
final class LayeredSockets {
    private LayeredSockets() {}

    /** Both ends' factories over {@code context}'s socket factory. */
    static TlsSockets of(SSLContext context) {
        return new TlsSockets(new Clients(context.getSocketFactory()), new Servers(context.getSocketFactory()));
    }

    /** Clients layered over sockets the JDK connects. */
    private static final class Clients extends SSLSocketFactory {
        private final SSLSocketFactory tls;
        private final SocketFactory plain = SocketFactory.getDefault();

        Clients(SSLSocketFactory tls) {
            this.tls = tls;
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return tls.createSocket(socket, host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket(plain.createSocket(host, port), host, port, true);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return createSocket(plain.createSocket(host, port), host.getHostAddress(), port, true);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(plain.createSocket(host, port, localHost, localPort), host, port, true);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(plain.createSocket(host, port, localHost, localPort), host.getHostAddress(), port, true);
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }
    }

    /** Server sockets of the JDK whose accepted sockets get the server's TLS layered over them. */
    private static final class Servers extends ServerSocketFactory {
        private final SSLSocketFactory tls;

        Servers(SSLSocketFactory tls) {
            this.tls = tls;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return createServerSocket(port, 50, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return createServerSocket(port, backlog, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return new ServerSocket(port, backlog, address) {
                @Override
                public Socket accept() throws IOException {
                    return tls.createSocket(super.accept(), null, true);
                }
            };
        }
    }
}
